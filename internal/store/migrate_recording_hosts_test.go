package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
)

// TestMigrationRecordingHosts runs migration 0015 over channels as an older
// Ringdesk left them: the old default list becomes the new one, anything an
// administrator chose stays, and the other settings are kept.
func TestMigrationRecordingHosts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn, dir := storetest.DSN(t), t.TempDir()
	db, err := store.Open(ctx, store.Options{DSN: dsn, DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	lists := [][]string{
		ringdesk.OldDefaultRecordingHosts,
		{"media.uiscom.ru", "app.uiscom.ru"}, // reordered by hand: a choice
		{"app.uiscom.ru"},
		{"rec.example.com", "app.uiscom.ru", "media.uiscom.ru"},
		{},
	}
	var ids []int64
	for i, hosts := range lists {
		s := ringdesk.UISSettings{RecordingHosts: hosts, ArchiveRecordings: true, Timezone: "Asia/Yekaterinburg"}.WithDefaults()
		ch, err := db.CreateChannel(ctx, ringdesk.ChannelCreate{Type: ringdesk.ChannelTypeUIS, Name: "UIS " + string(rune('A'+i)), UIS: s}, "", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, ch.ID)
	}
	if _, err := db.ExecForTest(ctx, `DELETE FROM schema_migrations WHERE version = 15`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err = store.Open(ctx, store.Options{DSN: dsn, DataDir: dir}); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	want := append([][]string{ringdesk.DefaultRecordingHosts}, lists[1:]...)
	for i, id := range ids {
		ch, err := db.ChannelByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(ch.UIS.RecordingHosts, want[i]) || !ch.UIS.ArchiveRecordings || ch.UIS.Timezone != "Asia/Yekaterinburg" {
			t.Errorf("channel %d: hosts %q archive %v zone %s, want hosts %q and the other settings kept", i, ch.UIS.RecordingHosts,
				ch.UIS.ArchiveRecordings, ch.UIS.Timezone, want[i])
		}
	}
	if !reflect.DeepEqual(ringdesk.DefaultRecordingHosts, []string{"app.uiscom.ru", "media.uiscom.ru", "app.comagic.ru", "media.comagic.ru"}) {
		t.Errorf("defaults = %q: migration 0015 writes the list literally, change both", ringdesk.DefaultRecordingHosts)
	}
}
