// Package app wires Ringdesk together: configuration, the store, the use
// cases, the HTTP server and background jobs.
package app

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"time"
)

// Config is everything Ringdesk is configured with. Each field has a flag
// and a RINGDESK_* environment variable; flags win over the environment.
type Config struct {
	Addr           string
	DataDir        string
	DB             string
	BaseURL        string
	LogFormat      string
	LogLevel       string
	Lang           string
	TrustedProxies []netip.Prefix
	AdminEmail     string
	AdminPassword  string
	// SecretKey encrypts secrets at rest; empty: a key generated into the data dir.
	SecretKey string
	// ReconcileEvery is how often each UIS channel is reconciled with the
	// UIS calls report; 0 turns reconciliation off.
	ReconcileEvery time.Duration
	// MetricsToken opens /metrics to "Authorization: Bearer TOKEN";
	// empty turns /metrics off.
	MetricsToken string
	// MetricsAddr, if set, serves /metrics on this address instead of Addr.
	MetricsAddr string
	// ArchiveStore is where archived recordings are kept: "auto" (the
	// database on PostgreSQL, the data dir on SQLite), "dir" or "db".
	ArchiveStore string
	// InstanceID names this process in the leases and outbox claims it
	// holds; empty: a stable id for the data dir (see ResolveInstanceID).
	InstanceID string
}

// setting describes one flag and its environment variable.
type setting struct {
	flag, env, def, usage string
	secret                bool // also read from $ENV_FILE
	dst                   *string
}

func (c *Config) settings() ([]setting, *string, *string) {
	proxies, reconcile := new(string), new(string)
	return []setting{
		{"addr", "RINGDESK_ADDR", "127.0.0.1:8080", "address to listen on (host:port)", false, &c.Addr},
		{"data", "RINGDESK_DATA", "./ringdesk-data", "data directory (SQLite database, recordings)", false, &c.DataDir},
		{"db", "RINGDESK_DB", "", "database: empty for SQLite in the data dir, or a postgres:// URL", true, &c.DB},
		{"base-url", "RINGDESK_BASE_URL", "", "public URL of this Ringdesk (default http://ADDR)", false, &c.BaseURL},
		{"log-format", "RINGDESK_LOG_FORMAT", "text", "log format: text or json", false, &c.LogFormat},
		{"log-level", "RINGDESK_LOG_LEVEL", "info", "log level: debug, info, warn or error", false, &c.LogLevel},
		{"lang", "RINGDESK_LANG", "ru", "default UI language: ru or en", false, &c.Lang},
		{"trusted-proxies", "RINGDESK_TRUSTED_PROXIES", "", "comma-separated CIDRs of reverse proxies whose X-Forwarded-For is trusted", false, proxies},
		{"reconcile-every", "RINGDESK_RECONCILE_EVERY", "5m", "how often to reconcile calls with the UIS calls report (e.g. 5m; 0 turns it off)", false, reconcile},
		{"metrics-token", "RINGDESK_METRICS_TOKEN", "", "bearer token that opens /metrics to Prometheus (empty: /metrics is off)", true, &c.MetricsToken},
		{"metrics-addr", "RINGDESK_METRICS_ADDR", "", "serve /metrics on this host:port instead of --addr (needs --metrics-token)", false, &c.MetricsAddr},
		{"instance-id", "RINGDESK_INSTANCE_ID", "", "this instance's name in leases and outbox claims, unique among running instances (default: host name and an id kept in the data dir)", false, &c.InstanceID},
		{"archive-store", "RINGDESK_ARCHIVE_STORE", "auto", "where archived recordings are kept: auto (database on PostgreSQL, data dir on SQLite), dir or db", false, &c.ArchiveStore},
	}, proxies, reconcile
}

// ParseFlags fills c from args and the environment. fs receives the flags
// so subcommands can add their own before calling it.
func (c *Config) ParseFlags(fs *flag.FlagSet, args []string, getenv func(string) string) error {
	ss, proxies, reconcile := c.settings()
	for _, s := range ss {
		def := s.def
		v, err := envValue(s, getenv)
		if err != nil {
			return err
		}
		if v != "" {
			def = v
		}
		fs.StringVar(s.dst, s.flag, def, s.usage+" [$"+s.env+"]")
	}
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%v (see --help)", err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (see --help)", fs.Arg(0))
	}
	var err error
	if c.AdminEmail, err = envValue(setting{env: "RINGDESK_ADMIN_EMAIL"}, getenv); err != nil {
		return err
	}
	if c.AdminPassword, err = envValue(setting{env: "RINGDESK_ADMIN_PASSWORD", secret: true}, getenv); err != nil {
		return err
	}
	if c.SecretKey, err = envValue(setting{env: "RINGDESK_SECRET_KEY", secret: true}, getenv); err != nil {
		return err
	}
	if c.SecretKey != "" && len(c.SecretKey) < 16 {
		return fmt.Errorf("invalid RINGDESK_SECRET_KEY: use at least 16 characters (32 random bytes recommended)")
	}
	if c.ReconcileEvery, err = time.ParseDuration(*reconcile); err != nil || c.ReconcileEvery < 0 ||
		(c.ReconcileEvery > 0 && c.ReconcileEvery < time.Minute) {
		return fmt.Errorf("invalid --reconcile-every %q: want a duration of at least 1m, e.g. 5m, or 0 to turn it off", *reconcile)
	}
	return c.validate(*proxies)
}

// envValue reads $ENV, or for secrets the file named by $ENV_FILE.
func envValue(s setting, getenv func(string) string) (string, error) {
	if s.secret {
		if path := getenv(s.env + "_FILE"); path != "" {
			b, err := os.ReadFile(path)
			if err != nil {
				return "", fmt.Errorf("invalid %s_FILE: %v", s.env, err)
			}
			return strings.TrimSpace(string(b)), nil
		}
	}
	return getenv(s.env), nil
}

func (c *Config) validate(proxies string) error {
	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		return fmt.Errorf("invalid --addr %q: want host:port, e.g. 127.0.0.1:8080", c.Addr)
	}
	if c.DataDir == "" {
		return fmt.Errorf("invalid --data: must not be empty")
	}
	if c.DB != "" && !strings.HasPrefix(c.DB, "postgres://") && !strings.HasPrefix(c.DB, "postgresql://") {
		return fmt.Errorf("invalid --db: must be empty (SQLite) or a postgres:// URL")
	}
	if c.BaseURL == "" {
		host, port, _ := net.SplitHostPort(c.Addr)
		if host == "" || host == "0.0.0.0" || host == "::" {
			host = "localhost"
		}
		c.BaseURL = "http://" + net.JoinHostPort(host, port)
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("invalid --base-url %q: want an http:// or https:// URL", c.BaseURL)
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("invalid --log-format %q: must be text or json", c.LogFormat)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("invalid --log-level %q: must be debug, info, warn or error", c.LogLevel)
	}
	if c.Lang != "ru" && c.Lang != "en" {
		return fmt.Errorf("invalid --lang %q: must be ru or en", c.Lang)
	}
	if c.MetricsAddr != "" {
		if _, port, err := net.SplitHostPort(c.MetricsAddr); err != nil || port == "" {
			return fmt.Errorf("invalid --metrics-addr %q: want host:port, e.g. 127.0.0.1:9108", c.MetricsAddr)
		}
		if c.MetricsToken == "" {
			return fmt.Errorf("invalid --metrics-addr: set --metrics-token (RINGDESK_METRICS_TOKEN) too; /metrics always needs the token")
		}
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < 16 {
		return fmt.Errorf("invalid --metrics-token: use at least 16 characters")
	}
	switch c.ArchiveStore {
	case "auto", "dir", "db":
	default:
		return fmt.Errorf("invalid --archive-store %q: must be auto, dir or db", c.ArchiveStore)
	}
	if err := checkInstanceID(c.InstanceID); err != nil {
		return err
	}
	c.TrustedProxies = nil
	for _, p := range strings.Split(proxies, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		pfx, err := netip.ParsePrefix(p)
		if err != nil {
			return fmt.Errorf("invalid --trusted-proxies %q: want CIDRs such as 10.0.0.0/8", p)
		}
		c.TrustedProxies = append(c.TrustedProxies, pfx)
	}
	return nil
}
