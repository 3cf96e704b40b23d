package inbox

import (
	"context"
)

// Iterator is a list endpoint streamed page by page (apiclient.Iterator fits).
type Iterator[T any] interface {
	Next(ctx context.Context) bool
	Item() T
	Err() error
}

// Each calls fn for every item, one page in memory at a time.
func Each[T any](ctx context.Context, it Iterator[T], fn func(*T) error) error {
	for it.Next(ctx) {
		item := it.Item()
		if err := fn(&item); err != nil {
			return err
		}
	}
	return it.Err()
}

// Collect reads a whole (small) list: users, channels, closing notes. The slice is never
// nil, so an empty list prints as [].
func Collect[T any](ctx context.Context, it Iterator[T]) ([]T, error) {
	out := []T{}
	err := Each(ctx, it, func(t *T) error { out = append(out, *t); return nil })
	if err != nil {
		return nil, err
	}
	return out, nil
}
