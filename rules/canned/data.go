package canned

import (
	"strings"
)

// bindings builds the template's variables; only present values are set,
// so missing ones are nil.
func bindings(d Data) map[string]any {
	b := map[string]any{}
	if rec := recipientObject(d.Recipients); len(rec) > 0 {
		b["recipient"] = rec
	}
	if u := d.User; u != nil {
		o := map[string]any{}
		set(o, "first_name", u.FirstName)
		set(o, "last_name", u.LastName)
		set(o, "name", strings.TrimSpace(u.FirstName+" "+u.LastName))
		set(o, "email", u.Email)
		set(o, "avatar_url", u.AvatarURL)
		set(o, "status", u.Status)
		set(o, "status_emoji", u.StatusEmoji)
		b["user"] = o
	}
	if !d.Conversation.IsZero() {
		b["conversation"] = map[string]any{"id": d.Conversation.String()}
	}
	if m := d.Message; m != nil {
		o := map[string]any{}
		if !m.ID.IsZero() {
			o["id"] = m.ID.String()
		}
		set(o, "from_handle", m.From.Address)
		if strings.Contains(m.From.Address, "@") {
			set(o, "from_email", m.From.Address)
		}
		set(o, "from_name", m.From.Name)
		first, last := splitName(m.From.Name)
		set(o, "from_first_name", first)
		set(o, "from_last_name", last)
		b["message"] = o
	}
	for k, v := range d.Form {
		setPath(b, strings.Split(k, "."), v)
	}
	return b
}

func set(o map[string]any, k, v string) {
	if v != "" {
		o[k] = v
	}
}

func setPath(b map[string]any, path []string, v string) {
	if len(path) == 1 {
		if _, taken := b[path[0]]; !taken {
			b[path[0]] = v
		}
		return
	}
	sub, ok := b[path[0]].(map[string]any)
	if !ok {
		if _, taken := b[path[0]]; taken {
			return
		}
		sub = map[string]any{}
		b[path[0]] = sub
	}
	setPath(sub, path[1:], v)
}

func splitName(name string) (string, string) {
	f := strings.Fields(name)
	if len(f) == 0 {
		return "", ""
	}
	return f[0], strings.Join(f[1:], " ")
}

// NormalizeKey is how custom field names become keys: "Order Amount" and
// "order_amount" are the same key.
func NormalizeKey(k string) string {
	return strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(k, "_", " ")), "_"))
}

// recipientObject builds the recipient object: one value per key, joined
// with ", " over several recipients; the contact card wins over the
// message's data.
func recipientObject(rs []Recipient) map[string]any {
	vals := map[string][]string{}
	add := func(k, v string) {
		if v != "" {
			vals[k] = append(vals[k], v)
		}
	}
	labeled := map[string]map[string][]string{}
	addLabeled := func(k string, ls []Labeled) string {
		first := ""
		for _, l := range ls {
			if first == "" {
				first = l.Value
			}
			if l.Label == "" {
				continue
			}
			lab := strings.ToLower(l.Label)
			if labeled[lab] == nil {
				labeled[lab] = map[string][]string{}
			}
			labeled[lab][k] = append(labeled[lab][k], l.Value)
		}
		return first
	}
	custom := map[string][]string{}
	for _, r := range rs {
		a := r.Address
		add("handle", a.Address)
		first, last := splitName(a.Name)
		name := a.Name
		email := ""
		if strings.Contains(a.Address, "@") {
			email = a.Address
		}
		phone := ""
		if email == "" {
			phone = a.Address
		}
		var middle string
		if c := r.Contact; c != nil {
			if c.FirstName != "" || c.LastName != "" {
				first, middle, last = c.FirstName, c.MiddleName, c.LastName
				name = strings.TrimSpace(c.FirstName + " " + c.LastName)
			}
			if e := addLabeled("email", c.Emails); email == "" {
				email = e
			}
			if p := addLabeled("phone_number", c.Phones); p != "" {
				phone = p
			}
			add("url", addLabeled("url", c.URLs))
			add("physical_address", addLabeled("physical_address", c.Addresses))
			add("twitter", c.Twitter)
			add("facebook", c.Facebook)
			add("nickname", c.Nickname)
			add("prefix", c.Prefix)
			add("suffix", c.Suffix)
			add("gender", c.Gender)
			add("file_as", c.FileAs)
			add("phonetic_first_name", c.PhoneticFirstName)
			add("phonetic_middle_name", c.PhoneticMiddleName)
			add("phonetic_last_name", c.PhoneticLastName)
			for k, v := range c.Custom {
				if v != "" {
					custom[NormalizeKey(k)] = append(custom[NormalizeKey(k)], v)
				}
			}
		}
		add("name", name)
		add("first_name", first)
		add("middle_name", middle)
		add("last_name", last)
		add("email", email)
		add("phone_number", phone)
	}
	o := map[string]any{}
	for k, v := range vals {
		o[k] = strings.Join(v, ", ")
	}
	for lab, kv := range labeled {
		if _, clash := o[lab]; clash {
			continue
		}
		sub := map[string]any{}
		for k, v := range kv {
			sub[k] = strings.Join(v, ", ")
		}
		o[lab] = sub
	}
	if len(custom) > 0 {
		c := map[string]any{}
		for k, v := range custom {
			c[k] = strings.Join(v, ", ")
		}
		o["custom"] = c
	}
	return o
}
