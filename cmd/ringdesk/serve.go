package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/ringdesk/ringdesk/internal/app"
	"github.com/ringdesk/ringdesk/internal/demo"
)

// loadConfig parses the common flags plus any extra ones a subcommand added.
func loadConfig(fs *flag.FlagSet, args []string, stderr io.Writer, getenv func(string) string) (app.Config, error) {
	var cfg app.Config
	err := cfg.ParseFlags(fs, args, getenv)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(stderr)
		fmt.Fprintf(stderr, "Usage of ringdesk %s:\n", fs.Name())
		fs.PrintDefaults()
	}
	return cfg, err
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	demoOn := fs.Bool("demo", false, "run with a built-in UIS simulator, a demo channel, demo agents and a stream of calls (data in ./ringdesk-demo unless --data is given)")
	demoRate := fs.Float64("demo-rate", 1.0/15, "with --demo: calls per second (three agents take about one call every 15 seconds)")
	cfg, err := loadConfig(fs, args, stderr, getenv)
	if err != nil {
		return err
	}
	if *demoOn {
		dataSet := getenv("RINGDESK_DATA") != ""
		fs.Visit(func(f *flag.Flag) { dataSet = dataSet || f.Name == "data" })
		if !dataSet {
			cfg.DataDir = "./ringdesk-demo"
		}
		if cfg.AdminEmail == "" {
			cfg.AdminEmail = "admin@example.com"
		}
		if cfg.AdminPassword == "" {
			cfg.AdminPassword = demo.AdminPassword
		}
		if *demoRate <= 0 || *demoRate > 50 {
			return fmt.Errorf("invalid --demo-rate %v: want calls per second in (0, 50]", *demoRate)
		}
	}
	// Bind first: a busy port is reported before the database is opened,
	// migrated or created and before anything lands in the data dir.
	ln, err := app.ListenAddr(cfg.Addr)
	if err != nil {
		return err
	}
	log := app.NewLogger(stderr, cfg.LogFormat, cfg.LogLevel)
	opts := app.Options{Version: versionString(), Listener: ln}
	var redirect *demo.Redirect
	if *demoOn {
		// Recording links of calls from earlier demo runs name the
		// simulator's address then; if it had to move, they are fetched
		// from where it is now.
		redirect = demo.NewRedirect()
		opts.Recordings.DialContext = redirect.DialContext
	}
	a, err := app.New(ctx, cfg, log, opts)
	if err != nil {
		ln.Close()
		return err
	}
	defer a.Close()
	if *demoOn {
		dctx, cancel := context.WithCancel(ctx)
		defer cancel()
		dm, err := demo.Start(dctx, a.Desk, a.DB, log, demo.Config{AppURL: "http://" + a.Addr(), Rate: *demoRate,
			DataDir: cfg.DataDir, Redirect: redirect})
		if err != nil {
			return err
		}
		done := make(chan error, 1)
		go func() { done <- dm.Run(dctx) }()
		defer func() { cancel(); <-done }()
		printDemo(stdout, a, dm, *demoRate)
	}
	return a.Run(ctx)
}

// printDemo tells the newcomer where to go and how to log in.
func printDemo(w io.Writer, a *app.App, dm *demo.Demo, rate float64) {
	url := a.Config.BaseURL
	if strings.HasSuffix(url, ":0") || url == "" {
		url = "http://" + a.Addr()
	}
	fmt.Fprintf(w, "\nRingdesk demo: %s\n\n", url)
	fmt.Fprintf(w, "  administrator  %s / %s\n", a.Config.AdminEmail, demo.AdminPassword)
	for _, ag := range dm.Agents {
		fmt.Fprintf(w, "  agent          %s / %s  (%s, UIS employee %d)\n", ag.Email, demo.AgentPassword, ag.Name, *ag.OperatorID)
	}
	fmt.Fprintf(w, "  supervisor     %s / %s  (call reports at /reports, the wallboard at /wallboard)\n", demo.SupervisorEmail, demo.AgentPassword)
	fmt.Fprintf(w, "\n  UIS simulator  %s (a call every %.0f s; calls ring, are answered, missed, transferred and placed)\n", dm.SimURL, 1/rate)
	fmt.Fprintf(w, "  Demo mailbox   %s (a client writes every few minutes and answers your replies; no setup needed)\n", dm.Mailbox().Email.Address)
	fmt.Fprintf(w, "  Data           %s (delete it to start over)\n\n", a.Config.DataDir)
}

func migrate(ctx context.Context, args []string, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	cfg, err := loadConfig(fs, args, stderr, getenv)
	if err != nil {
		return err
	}
	log := app.NewLogger(stderr, cfg.LogFormat, cfg.LogLevel)
	db, err := app.OpenStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	log.Info("database is up to date", "dialect", db.Dialect())
	return db.Close()
}
