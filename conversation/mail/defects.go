package mail

import "fmt"

// maxDefects bounds the defects one message records; a hostile message
// cannot make the list grow with its size.
const maxDefects = 32

// defects collects what the parser could not decode.
type defects struct {
	list    []string
	dropped int
}

func (d *defects) addf(format string, args ...any) {
	if len(d.list) >= maxDefects {
		d.dropped++
		return
	}
	s := fmt.Sprintf(format, args...)
	for _, x := range d.list {
		if x == s {
			return
		}
	}
	d.list = append(d.list, s)
}

func (d *defects) result() []string {
	if d.dropped > 0 {
		return append(d.list, fmt.Sprintf("%d more defects not listed", d.dropped))
	}
	return d.list
}
