package api

import "testing"

func TestLRU(t *testing.T) {
	c := newLRU[string, int](2)
	c.put("a", 1)
	c.put("b", 2)
	if v, ok := c.get("a"); !ok || v != 1 { // a is now the most recent
		t.Fatalf("get a = %d, %v", v, ok)
	}
	c.put("c", 3) // evicts b, the least recently used
	if _, ok := c.get("b"); ok {
		t.Error("b survived eviction")
	}
	for k, want := range map[string]int{"a": 1, "c": 3} {
		if v, ok := c.get(k); !ok || v != want {
			t.Errorf("get %s = %d, %v", k, v, ok)
		}
	}
	c.put("c", 4)
	if v, _ := c.get("c"); v != 4 || c.len() != 2 {
		t.Errorf("update: c = %d, len %d", v, c.len())
	}
	off := newLRU[string, int](0)
	off.put("a", 1)
	if _, ok := off.get("a"); ok {
		t.Error("a cache of size 0 kept a value")
	}
}
