package cmdutil

import "github.com/respondctl/respondctl/apiclient"

// NewClient builds an API client for an explicit base URL and token with the
// global --timeout, --debug and --insecure settings. `auth login` uses it to
// check a token before saving it; everything else uses f.APIClient.
func (f *Factory) NewClient(baseURL, token string, insecure bool) (*apiclient.Client, error) {
	opts := apiclient.Options{
		BaseURL:  baseURL,
		Token:    token,
		Timeout:  f.Global.Timeout,
		Insecure: insecure || f.Global.Insecure,
	}
	if f.Global.Debug {
		opts.Debug = f.IOStreams.ErrOut
	}
	c, err := apiclient.New(opts)
	if err != nil {
		return nil, UsageError(err)
	}
	return c, nil
}
