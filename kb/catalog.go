package kb

// Catalog is the knowledge base in memory, read once from the store at
// start-up: entries by ID and by close code. It is never modified after
// NewCatalog, so it is safe for concurrent use.
type Catalog struct {
	entries []*Entry
	byID    map[string]*Entry
	byCode  map[int][]*Entry
}

// NewCatalog indexes entries, which must be in ID order.
func NewCatalog(entries []*Entry) *Catalog {
	c := &Catalog{entries: entries, byID: map[string]*Entry{}, byCode: map[int][]*Entry{}}
	for _, e := range entries {
		c.byID[e.ID] = e
		if e.CloseCode != nil {
			c.byCode[*e.CloseCode] = append(c.byCode[*e.CloseCode], e)
		}
	}
	return c
}

// Entries returns every entry in ID order.
func (c *Catalog) Entries() []*Entry { return c.entries }

// Entry returns the entry with the given ID, or an ENOTFOUND error.
func (c *Catalog) Entry(id string) (*Entry, error) {
	if e, ok := c.byID[id]; ok {
		return e, nil
	}
	return nil, Errorf(ENOTFOUND, "no entry has the ID %q", id)
}

// Code describes a close code with the entries that explain it.
func (c *Catalog) Code(code int) (CodeInfo, []*Entry) {
	return LookupCode(code), c.byCode[code]
}
