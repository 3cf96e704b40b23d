package cmdtest

import (
	"context"
	"sync"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
)

// fastClock is an apiclient.Clock on which time passes Scale times faster than in reality:
// a 1 s Retry-After hold lasts 1/Scale s, backoffs shrink alike, and the rate limiter paces
// in the same compressed time. Every wait of the client's retry machinery still happens, in
// the same order and proportions; only the wall-clock cost shrinks. It lets the fault tests run
// 1,000 items through hundreds of injected 429s (each a whole-second hold per the contract)
// in seconds instead of a minute.
type fastClock struct {
	start time.Time
	scale float64
}

func (c fastClock) Now() time.Time {
	return c.start.Add(time.Duration(float64(time.Since(c.start)) * c.scale))
}

func (c fastClock) Sleep(ctx context.Context, d time.Duration) error {
	return apiclient.SystemClock{}.Sleep(ctx, time.Duration(float64(d)/c.scale))
}

// useFastClient makes f's API client run on a fastClock of scale, pacing every endpoint at
// realRate requests per real second. The sandbox must run without a rate limit (Rate 0): its
// X-RateLimit-Limit would otherwise be adopted in compressed time and overshoot it.
func useFastClient(f *cmdutil.Factory, vars map[string]string, scale, realRate float64) {
	var once sync.Once
	var client *apiclient.Client
	var err error
	f.APIClient = func() (*apiclient.Client, error) {
		once.Do(func() {
			client, err = apiclient.New(apiclient.Options{
				BaseURL:   vars[envAPIBase],
				Token:     vars[envToken],
				Clock:     fastClock{start: time.Now(), scale: scale},
				RateLimit: realRate / scale,
			})
		})
		return client, err
	}
}
