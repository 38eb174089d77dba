package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// SeedOptions sizes a demo or benchmark data set.
type SeedOptions struct {
	Clients int
	Tickets int
	// Seed makes the data reproducible.
	Seed uint64
	// MissedEvery makes one ticket in this many a missed call waiting for a
	// call back, with its lost incoming call and, for every third, an
	// unanswered call-back attempt (default 20).
	MissedEvery int
	// Progress, if set, is told how many rows of each kind are written.
	Progress func(what string, done, total int)
}

var (
	seedFirst = []string{"Александр", "Мария", "Дмитрий", "Анна", "Сергей", "Елена", "Андрей", "Ольга", "Алексей", "Наталья",
		"Иван", "Татьяна", "Михаил", "Ирина", "Никита", "Светлана", "Павел", "Юлия", "Артём", "Екатерина"}
	seedFemale = map[string]bool{"Мария": true, "Анна": true, "Елена": true, "Ольга": true, "Наталья": true,
		"Татьяна": true, "Ирина": true, "Светлана": true, "Юлия": true, "Екатерина": true}
	seedLastM = []string{"Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков", "Фёдоров",
		"Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов", "Степанов", "Николаев"}
	seedSubjects = []string{"Не приходит SMS с кодом", "Вопрос по оплате заказа №%d", "Возврат товара по заказу %d",
		"Не работает личный кабинет", "Ошибка при оформлении доставки", "Перезвоните, пожалуйста", "Смена тарифа",
		"Двойное списание по карте", "Курьер не приехал, заказ %d", "Как изменить адрес доставки", "Пропущенный звонок",
		"Счёт для юрлица", "Не могу войти в приложение", "Жалоба на качество обслуживания", "Уточнение по договору %d"}
	seedBodies = []string{"Здравствуйте! Прошу разобраться, уже второй день не могу решить вопрос.",
		"Добрый день. Оплатил заказ, но статус не изменился. Чек прилагаю.",
		"Подскажите, пожалуйста, сроки возврата денег на карту.",
		"Hello, the app crashes on login since the last update.",
		"Перезвоните мне после 18:00, удобнее вечером.",
		"Курьер опоздал на три часа, хочу компенсацию."}
	seedTags     = []string{"vip", "оплата", "доставка", "возврат", "баг", "b2b", "срочно", "sms"}
	seedStatuses = []string{"new", "new", "open", "open", "open", "pending", "on_hold", "solved", "solved", "solved", "solved", "closed"}
	seedPrios    = []string{"low", "medium", "medium", "medium", "urgent", "extreme"}
	seedTypes    = []string{"question", "question", "task", "problem", "incident"}
)

// Seed bulk-inserts realistic Russian clients (with phones and some emails)
// and tickets (with a first message, tags and search entries) in batches.
// Tickets go to existing active agents or stay unassigned.
func (db *DB) Seed(ctx context.Context, o SeedOptions, now time.Time) error {
	rng := rand.New(rand.NewPCG(o.Seed, 0x5eed))
	agents, err := int64sOf(ctx, db.r, `SELECT id FROM agents WHERE active = $1 ORDER BY id`, true)
	if err != nil {
		return wrap("seed", err)
	}
	if len(agents) < 2 && o.Tickets > 0 {
		// Agents to assign tickets to; they cannot log in until an admin
		// sets a password ("!" is no bcrypt hash).
		err := db.tx(ctx, func(tx *sql.Tx) error {
			for i := range 10 {
				var id int64
				name := seedFirst[i*2%len(seedFirst)] + " " + seedLastM[i]
				if err := tx.QueryRowContext(ctx, `INSERT INTO agents (name, email, role, active, lang, password_hash, created_at, updated_at)
					VALUES ($1, $2, 'agent', $3, 'ru', '!', $4, $4) ON CONFLICT (email) DO UPDATE SET name = excluded.name RETURNING id`,
					name, fmt.Sprintf("seed-agent%d@example.ru", i+1), true, micros(now)).Scan(&id); err != nil {
					return err
				}
				agents = append(agents, id)
			}
			return nil
		})
		if err != nil {
			return wrap("seed agents", err)
		}
	}
	var firstClient, firstTicket, clientCount int64
	if err := db.r.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1, COUNT(*) FROM clients`).Scan(&firstClient, &clientCount); err != nil {
		return wrap("seed", err)
	}
	if err := db.r.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM tickets`).Scan(&firstTicket); err != nil {
		return wrap("seed", err)
	}
	if o.Tickets > 0 && o.Clients == 0 && clientCount == 0 {
		o.Clients = 1
	}
	if db.dialect == SQLite {
		// A big page cache and no fsync per batch: the seed is restartable.
		for _, p := range []string{"PRAGMA cache_size = -262144", "PRAGMA synchronous = OFF"} {
			if _, err := db.w.ExecContext(ctx, p); err != nil {
				return wrap("seed", err)
			}
		}
		defer db.w.ExecContext(context.WithoutCancel(ctx), "PRAGMA synchronous = FULL")
	}
	const batch = 500
	us := micros(now)
	// Tickets are created in id order over the last year, as in real life,
	// which also keeps index inserts near the end of each index.
	span := int64(365 * 24 * time.Hour / time.Microsecond)
	step := span / int64(max(o.Tickets, 1))
	for done := 0; done < o.Clients; done += batch {
		n := min(batch, o.Clients-done)
		err := db.tx(ctx, func(tx *sql.Tx) error {
			var cl, ph, em strings.Builder
			var ca, pa, ea []any
			for i := range n {
				id := firstClient + int64(done+i)
				name := seedFirst[rng.IntN(len(seedFirst))]
				last := seedLastM[rng.IntN(len(seedLastM))]
				if seedFemale[name] {
					last += "а"
				}
				created := us - rng.Int64N(int64(400*24*time.Hour/time.Microsecond))
				ca = append(ca, id, last+" "+name, clientSearch(last+" "+name, ""), created)
				sep(&cl, i)
				fmt.Fprintf(&cl, "($%d, $%d, $%d, $%d, $%d)", len(ca)-3, len(ca)-2, len(ca)-1, len(ca), len(ca))
				pa = append(pa, id, "+79"+fmt.Sprintf("%09d", (id*7919)%1_000_000_000), created)
				sep(&ph, i)
				fmt.Fprintf(&ph, "($%d, $%d, $%d)", len(pa)-2, len(pa)-1, len(pa))
				if id%3 == 0 {
					ea = append(ea, id, "client"+strconv.FormatInt(id, 10)+"@example.ru", created)
					sep(&em, len(ea)/3-1)
					fmt.Fprintf(&em, "($%d, $%d, $%d)", len(ea)-2, len(ea)-1, len(ea))
				}
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO clients (id, name, search, created_at, updated_at) VALUES `+cl.String(), ca...); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO client_phones (client_id, phone, created_at) VALUES `+ph.String(), pa...); err != nil {
				return err
			}
			if len(ea) > 0 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO client_emails (client_id, email, created_at) VALUES `+em.String(), ea...); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return wrap("seed clients", err)
		}
		if o.Progress != nil {
			o.Progress("clients", done+n, o.Clients)
		}
	}
	lastClient := firstClient + int64(o.Clients) - 1
	var minClient int64
	if err := db.r.QueryRowContext(ctx, `SELECT COALESCE(MIN(id), 1) FROM clients`).Scan(&minClient); err != nil {
		return wrap("seed", err)
	}
	if o.MissedEvery <= 0 {
		o.MissedEvery = 20
	}
	seedChannel, err := db.seedChannel(ctx, now)
	if err != nil {
		return wrap("seed", err)
	}
	for done := 0; done < o.Tickets; done += batch {
		n := min(batch, o.Tickets-done)
		err := db.tx(ctx, func(tx *sql.Tx) error {
			var tk, ev, tg, ft, cl strings.Builder
			var ta, va, ga, fa, ca []any
			for i := range n {
				id := firstTicket + int64(done+i)
				subject := seedSubjects[rng.IntN(len(seedSubjects))]
				if strings.Contains(subject, "%d") {
					subject = fmt.Sprintf(subject, 100000+rng.IntN(900000))
				}
				status := seedStatuses[rng.IntN(len(seedStatuses))]
				created := us - span + int64(done+i)*step + rng.Int64N(step+1)
				updated := created + rng.Int64N(min(us-created, int64(72*time.Hour/time.Microsecond))+1)
				var assignee, solved, first any
				if len(agents) > 0 && rng.IntN(5) > 0 {
					assignee = agents[rng.IntN(len(agents))]
				}
				if status == "solved" || status == "closed" {
					solved = updated
				}
				if status != "new" {
					first = created + (updated-created)/4
				}
				missed := rng.IntN(o.MissedEvery) == 0
				client := minClient + rng.Int64N(lastClient-minClient+1)
				var missedSince any
				if missed {
					missedSince = created
					// The lost incoming call, and for every third ticket an
					// outgoing call back nobody answered.
					calls := [][]any{{"in", created, true, "no_operators"}}
					if id%3 == 0 {
						calls = append(calls, []any{"out", created + (updated-created)/2, false, "no_success_subscriber_call"})
					}
					for j, c := range calls {
						ca = append(ca, seedChannel, id*2+int64(j), c[0], fmt.Sprintf("+7900%07d", id%10_000_000), c[1], 15, c[2], c[3], id, client)
						sep(&cl, len(ca)/10-1)
						k := len(ca) - 10
						fmt.Fprintf(&cl, "($%d, $%d, $%d, 'finished', 3, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d)",
							k+1, k+2, k+3, k+4, k+5, k+6, k+7, k+8, k+9, k+10, k+5, k+5)
					}
				}
				ta = append(ta, id, subject, status, seedPrios[rng.IntN(len(seedPrios))], seedTypes[rng.IntN(len(seedTypes))],
					client, assignee, missed, missedSince, created, updated, first, solved)
				sep(&tk, i)
				k := len(ta) - 13
				fmt.Fprintf(&tk, "($%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d)", k+1, k+2, k+3, k+4, k+5, k+6, k+7, k+8, k+9, k+10, k+11, k+12, k+13)
				body := seedBodies[rng.IntN(len(seedBodies))]
				va = append(va, id, body, created)
				sep(&ev, i)
				fmt.Fprintf(&ev, "($%d, 'reply', 'client', $%d, '{}', $%d)", len(va)-2, len(va)-1, len(va))
				if rng.IntN(10) < 3 {
					ga = append(ga, id, seedTags[rng.IntN(len(seedTags))])
					sep(&tg, len(ga)/2-1)
					fmt.Fprintf(&tg, "($%d, $%d)", len(ga)-1, len(ga))
				}
				if db.dialect == SQLite {
					fa = append(fa, id, subject, body)
					sep(&ft, i)
					fmt.Fprintf(&ft, "($%d, $%d, $%d)", len(fa)-2, len(fa)-1, len(fa))
				}
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO tickets (id, subject, status, priority, type, client_id, assignee_id,
				missed, missed_since, created_at, updated_at, first_response_at, solved_at) VALUES `+tk.String(), ta...); err != nil {
				return err
			}
			if len(ca) > 0 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO calls (channel_id, call_session_id, direction, state, stage, contact_phone,
					started_at, wait_seconds, is_lost, finish_reason, ticket_id, client_id, created_at, updated_at) VALUES `+cl.String(), ca...); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO ticket_events (ticket_id, kind, author_type, body, data, created_at) VALUES `+ev.String(), va...); err != nil {
				return err
			}
			if len(ga) > 0 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO ticket_tags (ticket_id, tag) VALUES `+tg.String(), ga...); err != nil {
					return err
				}
			}
			if len(fa) > 0 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO ticket_fts (rowid, subject, body) VALUES `+ft.String(), fa...); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return wrap("seed tickets", err)
		}
		if o.Progress != nil {
			o.Progress("tickets", done+n, o.Tickets)
		}
	}
	if db.dialect == Postgres {
		for _, t := range []string{"clients", "tickets"} {
			if _, err := db.w.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'), (SELECT MAX(id) FROM `+t+`))`); err != nil {
				return wrap("seed", err)
			}
		}
		// VACUUM sets the visibility map, so counts can use index-only scans.
		if _, err := db.w.ExecContext(ctx, `VACUUM ANALYZE`); err != nil {
			return wrap("seed", err)
		}
	} else if _, err := db.w.ExecContext(ctx, `ANALYZE`); err != nil {
		return wrap("seed", err)
	}
	return nil
}

func sep(b *strings.Builder, i int) {
	if i > 0 {
		b.WriteString(", ")
	}
}

// SeedClient inserts one client with its phones and emails (already
// normalised); the dev seed command and tests use it.
func (db *DB) SeedClient(ctx context.Context, name string, phones, emails []string, now time.Time) (int64, error) {
	var id int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if id, err = insertClient(ctx, db.cached(tx), newClient{Name: name}, now); err != nil {
			return err
		}
		for _, p := range phones {
			if _, err := tx.ExecContext(ctx, `INSERT INTO client_phones (client_id, phone, created_at) VALUES ($1, $2, $3)`, id, p, micros(now)); err != nil {
				return err
			}
		}
		for _, e := range emails {
			if _, err := tx.ExecContext(ctx, `INSERT INTO client_emails (client_id, email, created_at) VALUES ($1, $2, $3)`, id, strings.ToLower(e), micros(now)); err != nil {
				return err
			}
		}
		return nil
	})
	return id, wrap("seed client", err)
}

// seedChannel returns the UIS channel seeded calls belong to, making it
// when there is none.
func (db *DB) seedChannel(ctx context.Context, now time.Time) (int64, error) {
	var id int64
	err := db.r.QueryRowContext(ctx, `SELECT COALESCE(MIN(id), 0) FROM channels WHERE type = 'uis'`).Scan(&id)
	if err != nil || id != 0 {
		return id, err
	}
	err = db.w.QueryRowContext(ctx, `INSERT INTO channels (type, name, active, settings, created_at, updated_at)
		VALUES ('uis', 'Seed UIS', $1, '{}', $2, $2) RETURNING id`, false, micros(now)).Scan(&id)
	return id, err
}
