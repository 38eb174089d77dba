package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/ringdesk/ringdesk/internal/app"
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
	cfg, err := loadConfig(fs, args, stderr, getenv)
	if err != nil {
		return err
	}
	log := app.NewLogger(stderr, cfg.LogFormat, cfg.LogLevel)
	a, err := app.New(ctx, cfg, log, app.Options{Version: versionString()})
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.Listen(); err != nil {
		return err
	}
	return a.Run(ctx)
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
