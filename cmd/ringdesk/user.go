package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"text/tabwriter"
	"time"

	"github.com/ringdesk/ringdesk/internal/app"
	"github.com/ringdesk/ringdesk/internal/auth"
	"github.com/ringdesk/ringdesk/internal/desk"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
)

// openStore reads a command's flags and opens the store it names, logging
// at level (empty: the configured level).
func openStore(ctx context.Context, fs *flag.FlagSet, args []string, stderr io.Writer, getenv func(string) string, level string) (app.Config, *slog.Logger, *store.DB, error) {
	cfg, err := loadConfig(fs, args, stderr, getenv)
	if err != nil {
		return cfg, nil, nil, err
	}
	if level == "" {
		level = cfg.LogLevel
	}
	log := app.NewLogger(stderr, cfg.LogFormat, level)
	db, err := app.OpenStore(ctx, cfg, log)
	return cfg, log, db, err
}

// openDesk opens the store and a Desk for command-line tools.
func openDesk(ctx context.Context, fs *flag.FlagSet, args []string, stderr io.Writer, getenv func(string) string) (*desk.Desk, *store.DB, error) {
	_, log, db, err := openStore(ctx, fs, args, stderr, getenv, "warn")
	if err != nil {
		return nil, nil, err
	}
	return desk.New(db, log, desk.DefaultConfig()), db, nil
}

func userCmd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		return fmt.Errorf("user: want create, passwd or list")
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	switch sub {
	case "create":
		email := fs.String("email", "", "agent email (required)")
		name := fs.String("name", "", "agent name (default: the part of the email before @)")
		role := fs.String("role", "agent", "role: admin, supervisor or agent")
		password := fs.String("password", "", "password (default: generate one and print it)")
		operator := fs.Int64("operator-id", 0, "UIS employee id (Operator ID)")
		d, db, err := openDesk(ctx, fs, args, stderr, getenv)
		if err != nil {
			return err
		}
		defer db.Close()
		pw, generated := *password, false
		if pw == "" {
			pw, generated = auth.NewPassword(), true
		}
		if *name == "" {
			*name = nameFromEmail(*email)
		}
		c := ringdesk.AgentCreate{Name: *name, Email: *email, Role: ringdesk.Role(*role), Password: pw}
		if *operator != 0 {
			c.OperatorID = operator
		}
		a, err := d.CreateAgent(ctx, ringdesk.System, c)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created %s %s (id %d)\n", a.Role, a.Email, a.ID)
		if generated {
			fmt.Fprintf(stdout, "password: %s\n", pw)
		}
		return nil
	case "passwd":
		email := fs.String("email", "", "agent email (required)")
		password := fs.String("password", "", "new password (default: generate one and print it)")
		d, db, err := openDesk(ctx, fs, args, stderr, getenv)
		if err != nil {
			return err
		}
		defer db.Close()
		a, _, err := db.AgentCredentials(ctx, ringdesk.NormalizeEmail(*email))
		if err != nil {
			return fmt.Errorf("no agent with email %q", *email)
		}
		pw := *password
		if pw == "" {
			pw = auth.NewPassword()
			defer fmt.Fprintf(stdout, "password: %s\n", pw)
		}
		if err := d.SetPassword(ctx, ringdesk.System, a.ID, pw); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "password changed for %s; their sessions were ended\n", a.Email)
		return nil
	case "list":
		d, db, err := openDesk(ctx, fs, args, stderr, getenv)
		if err != nil {
			return err
		}
		defer db.Close()
		list, err := d.Agents(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tEMAIL\tNAME\tROLE\tACTIVE\tOPERATOR ID")
		for _, a := range list {
			op := "-"
			if a.OperatorID != nil {
				op = fmt.Sprint(*a.OperatorID)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%v\t%s\n", a.ID, a.Email, a.Name, a.Role, a.Active, op)
		}
		return tw.Flush()
	}
	return fmt.Errorf("user: unknown command %q: want create, passwd or list", sub)
}

func tokenCmd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 || args[0] != "create" {
		return fmt.Errorf("token: want create")
	}
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	email := fs.String("email", "", "agent email (required)")
	name := fs.String("name", "API token", "token name")
	expiresIn := fs.String("expires", "", "lifetime: days (30d) or hours (12h); empty: never expires")
	d, db, err := openDesk(ctx, fs, args[1:], stderr, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	lifetime, err := ringdesk.ParseTokenLifetime(*expiresIn)
	if err != nil {
		return fmt.Errorf("--expires %q: %s", *expiresIn, ringdesk.ErrorMessage(err))
	}
	a, _, err := db.AgentCredentials(ctx, ringdesk.NormalizeEmail(*email))
	if err != nil {
		return fmt.Errorf("no agent with email %q", *email)
	}
	var expires *time.Time
	if lifetime > 0 {
		e := d.Now().Add(lifetime)
		expires = &e
	}
	secret, t, err := d.CreateAPIToken(ctx, a, *name, expires)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, secret)
	if t.ExpiresAt != nil {
		fmt.Fprintf(stderr, "The token expires at %s.\n", t.ExpiresAt.Format(time.RFC3339))
	}
	return nil
}

func nameFromEmail(email string) string {
	for i, c := range email {
		if c == '@' {
			return email[:i]
		}
	}
	return email
}
