package demo

import (
	"context"
	"fmt"

	"github.com/ringdesk/ringdesk/internal/desk"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// cannedReplies are the demo desk's shared canned replies: a new user
// types "/" in a ticket's message and finds them there.
var cannedReplies = []struct{ title, shortcut, body string }{
	{"Приветствие", "privet", "Здравствуйте, {{client.name}}!\n\nСпасибо за обращение. Его номер — {{ticket.number}}, назовите его, если будете звонить."},
	{"Не дозвонились", "perezvon", "{{client.name}}, мы не смогли до вас дозвониться. Перезвоним в течение часа; если удобнее, позвоните нам сами и назовите номер обращения {{ticket.number}}."},
	{"Вопрос решён", "reshen", "Здравствуйте, {{client.name}}! Вопрос «{{ticket.subject}}» решён. Если понадобится что-то ещё, просто ответьте на это сообщение."},
	{"Подпись", "podpis", "С уважением,\n{{agent.name}}\nслужба поддержки"},
}

// seedCanned adds the demo's shared canned replies to a desk without any,
// so it never brings back one an administrator deleted.
func seedCanned(ctx context.Context, d *desk.Desk) error {
	existing, err := d.CannedReplies(ctx, ringdesk.System, ringdesk.CannedFilter{Limit: 1})
	if err != nil || len(existing) > 0 {
		return err
	}
	shared := true
	for _, c := range cannedReplies {
		in := ringdesk.CannedInput{Title: &c.title, Body: &c.body, Shortcut: &c.shortcut, Shared: &shared}
		if _, err := d.CreateCannedReply(ctx, ringdesk.System, in); err != nil {
			return fmt.Errorf("demo: canned reply %s: %w", c.title, err)
		}
	}
	return nil
}
