package mail_test

import (
	"testing"

	"github.com/ringdesk/ringdesk/internal/testmain"
)

// TestMain lets more tests run at once than the machine has cores: they
// mostly wait (on the database, the mail servers, timers), not on a CPU.
func TestMain(m *testing.M) { testmain.Run(m, 8) }
