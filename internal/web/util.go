package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

func asMaxBytes(err error, target **http.MaxBytesError) bool { return errors.As(err, target) }

// pathID parses the {id} wildcard.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, ringdesk.Errorf(ringdesk.ENOTFOUND, "The page you asked for does not exist.")
	}
	return id, nil
}

// parseForm reads a urlencoded or multipart form with a size limit.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		return ringdesk.Errorf(ringdesk.EINVALID, "The form could not be read.")
	}
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }
