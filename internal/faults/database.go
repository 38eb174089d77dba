package faults

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the pgx driver for the schema of each scenario
)

// database is where one scenario's Ringdesk keeps its data, and how the
// outage scenario takes it away and brings it back.
type database interface {
	// DSN is the --db of the child ("" for SQLite in the data dir).
	DSN() string
	// Stop makes the database fail every write of the child with pid.
	Stop(pid int) error
	// Start brings it back.
	Start(pid int) error
	// Close removes what the scenario made.
	Close()
}

// sqliteDB is SQLite in the data dir. An outage is a full disk: the child's
// file size limit (RLIMIT_FSIZE, set from outside with prlimit) drops to 1
// byte, so every write(2) to the database and its WAL fails with EFBIG, as
// on a full filesystem (SQLite reports SQLITE_FULL). Unlike chmod, it works
// on files the process already has open and for root; unlike a small
// loop-mounted filesystem, it needs no privileges.
type sqliteDB struct{ saved *syscall.Rlimit }

func (*sqliteDB) DSN() string { return "" }
func (*sqliteDB) Close()      {}

func (s *sqliteDB) Stop(pid int) error {
	old, err := setFileSizeLimit(pid, 1)
	if err != nil {
		return fmt.Errorf("fill the disk of pid %d: %w", pid, err)
	}
	s.saved = &old
	return nil
}

func (s *sqliteDB) Start(pid int) error {
	if s.saved == nil {
		return nil
	}
	if _, err := setFileSizeLimit(pid, s.saved.Cur); err != nil {
		return fmt.Errorf("free the disk of pid %d: %w", pid, err)
	}
	s.saved = nil
	return nil
}

// pgSchema is a fresh schema in the PostgreSQL database the user named.
// It cannot be stopped: the outage scenario uses a pgCluster.
type pgSchema struct{ base, name, dsn string }

func newPGSchema(ctx context.Context, base, scenario string) (*pgSchema, error) {
	name := fmt.Sprintf("faults_%s_%d_%d", scenario, os.Getpid(), time.Now().UnixNano()%1e9)
	db, err := sql.Open("pgx", base)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA "+name); err != nil {
		return nil, fmt.Errorf("create schema %s: %w", name, err)
	}
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return &pgSchema{base: base, name: name, dsn: u.String()}, nil
}

func (p *pgSchema) DSN() string { return p.dsn }

func (p *pgSchema) Stop(int) error {
	return fmt.Errorf("a shared PostgreSQL is not stopped; the outage runs its own")
}
func (p *pgSchema) Start(int) error { return nil }

func (p *pgSchema) Close() {
	db, err := sql.Open("pgx", p.base)
	if err != nil {
		return
	}
	defer db.Close()
	db.Exec("DROP SCHEMA " + p.name + " CASCADE")
}

// pgCluster is a throwaway PostgreSQL cluster in a temporary directory on a
// free port, made with initdb and run with pg_ctl; the outage stops it
// (fast shutdown: every connection is cut) and starts it again.
type pgCluster struct {
	bin, top, dir, port string
	cred                *syscall.Credential // initdb refuses to run as root: run it as "postgres"
}

// pgBin finds PostgreSQL's server programs: Debian's
// /usr/lib/postgresql/*/bin (newest first; Debian's /usr/bin wrappers need a
// cluster configuration), or on PATH.
func pgBin() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "initdb")); err == nil {
			return dirs[i], nil
		}
	}
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if _, err := exec.LookPath("initdb"); err == nil {
			return filepath.Dir(p), nil
		}
	}
	return "", fmt.Errorf("the outage scenario on PostgreSQL needs initdb and pg_ctl (Debian: apt-get install postgresql)")
}

func newPGCluster(ctx context.Context) (*pgCluster, error) {
	bin, err := pgBin()
	if err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	// A directory of its own under the system's temporary directory: when
	// the suite runs as root the cluster runs as postgres, who may not be
	// able to reach the data dir given.
	top, err := os.MkdirTemp("", "ringdesk-faults-pg-")
	if err != nil {
		return nil, err
	}
	c := &pgCluster{bin: bin, top: top, dir: filepath.Join(top, "pg"), port: port}
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return nil, err
	}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root, the throwaway cluster needs the user postgres: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		for _, d := range []string{top, c.dir} {
			if err := os.Chown(d, uid, gid); err != nil {
				return nil, err
			}
		}
	}
	if err := c.run(ctx, "initdb", "-D", c.dir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"); err != nil {
		return nil, err
	}
	if err := c.Start(0); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *pgCluster) run(ctx context.Context, prog string, args ...string) error {
	cmd := exec.CommandContext(ctx, filepath.Join(c.bin, prog), args...)
	if c.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	}
	cmd.Dir = c.dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w: %s", prog, err, strings.TrimSpace(string(out)))
	}
	return nil
}

func (c *pgCluster) DSN() string {
	return "postgres://postgres@127.0.0.1:" + c.port + "/postgres?sslmode=disable"
}

// Stop shuts the cluster down at once (fast: open sessions are cut).
func (c *pgCluster) Stop(int) error {
	return c.run(context.Background(), "pg_ctl", "-D", c.dir, "-m", "fast", "-w", "-t", "60", "stop")
}

// Start starts it on its port, listening on 127.0.0.1 only, its socket in its directory.
func (c *pgCluster) Start(int) error {
	return c.run(context.Background(), "pg_ctl", "-D", c.dir, "-l", filepath.Join(c.dir, "server.log"), "-w", "-t", "60",
		"-o", "-p "+c.port+" -k "+c.dir+" -c listen_addresses=127.0.0.1 -c fsync=off", "start")
}

func (c *pgCluster) Close() {
	c.run(context.Background(), "pg_ctl", "-D", c.dir, "-m", "immediate", "-w", "stop")
	os.RemoveAll(c.top)
}
