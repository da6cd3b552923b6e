package kb

import "fmt"

// Error codes. api/ maps each to an HTTP status in one table.
const (
	ENOTFOUND = "not_found"
	EINVALID  = "invalid"
	EINTERNAL = "internal"
)

// Error is an error the application means to show to its user: Message is
// safe to display. Anything that is not an *Error is internal.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}
