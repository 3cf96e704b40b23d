package cmdutil

import (
	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/output"
)

// ClientOptions are the API client settings every client of this process
// shares: the global --timeout, --debug and --insecure, and a User-Agent that
// names the release, so server logs tell versions apart.
func (f *Factory) ClientOptions(baseURL, token string, insecure bool) apiclient.Options {
	version := f.AppVersion
	if version == "" {
		version = "dev"
	}
	opts := apiclient.Options{
		BaseURL:   baseURL,
		Token:     token,
		Timeout:   f.Global.Timeout,
		Insecure:  insecure || f.Global.Insecure,
		UserAgent: apiclient.DefaultUserAgent + "/" + version,
	}
	f.Secrets.Add(token)
	if f.Global.Debug {
		// The trace quotes server text: control characters are made visible.
		opts.Debug = output.NewSafeWriter(f.IOStreams.ErrOut)
	}
	return opts
}

// NewClient builds an API client for an explicit base URL and token. `auth
// login` uses it to check a token before saving it; everything else uses
// f.APIClient.
func (f *Factory) NewClient(baseURL, token string, insecure bool) (*apiclient.Client, error) {
	c, err := apiclient.New(f.ClientOptions(baseURL, token, insecure))
	if err != nil {
		return nil, UsageError(err)
	}
	return c, nil
}
