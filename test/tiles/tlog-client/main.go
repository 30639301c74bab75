// Command tlog-client audits a Ledgerline log through its c2sp.org/tlog-tiles surface alone, with
// Go's golang.org/x/mod/sumdb/note and tlog packages: a client no one on the project wrote.
//
// It verifies the published checkpoint with a pinned vkey, downloads every entry bundle and
// recomputes the tree from the entries, then reads hash tiles through tlog.TileHashReader (which
// authenticates every tile against the checkpoint's root) to prove and check inclusion
// (ProveRecord/CheckRecord) and consistency (ProveTree/CheckTree) for several sizes. Each -old
// checkpoint (a note saved earlier) is checked the same way against its own, narrower, partial tiles,
// and proved consistent with the newest one. With -compare-api, the audit API's own consistency proofs
// (GET /v1/audit/checkpoints/consistency) must equal Go's. It prints a JSON summary; any failure exits 1.
//
// Usage: tlog-client -url http://127.0.0.1:3000 -vkey <vkey> [-compare-api] [-old note-file]...
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const tileHeight = 8

var compareAPI bool

type files []string

func (f *files) String() string     { return strings.Join(*f, ",") }
func (f *files) Set(v string) error { *f = append(*f, v); return nil }

func main() {
	base := flag.String("url", "", "the log's URL prefix (the API's base URL)")
	vkey := flag.String("vkey", "", "the log's pinned checkpoint verifier key")
	var olds files
	flag.Var(&olds, "old", "a checkpoint note saved earlier (repeatable)")
	flag.BoolVar(&compareAPI, "compare-api", false, "also require the audit API's consistency proofs to equal Go's")
	flag.Parse()
	if *base == "" || *vkey == "" {
		fail("usage: tlog-client -url <prefix> -vkey <vkey> [-old <note file>]...")
	}
	summary, err := audit(strings.TrimSuffix(*base, "/"), *vkey, olds)
	if err != nil {
		fail(err.Error())
	}
	out, _ := json.Marshal(summary)
	fmt.Println(string(out))
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, "tlog-client: "+message)
	os.Exit(1)
}

type summary struct {
	TreeSize       int64    `json:"treeSize"`
	RecordsProved  int      `json:"recordsProved"`
	TreesProved    int      `json:"treesProved"`
	APIProofsEqual int      `json:"apiProofsEqual"`
	OldCheckpoints []int64  `json:"oldCheckpoints"`
	Tiles          []string `json:"tiles"`
}

func audit(base, vkey string, olds []string) (*summary, error) {
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, fmt.Errorf("vkey: %v", err)
	}
	reader := &tileReader{base: base, client: &http.Client{Timeout: 10 * time.Second}, cache: map[tlog.Tile][]byte{}, fetched: map[string]bool{}}
	text, err := reader.get("checkpoint", "text/plain; charset=utf-8")
	if err != nil {
		return nil, err
	}
	latest, err := openCheckpoint(text, verifier)
	if err != nil {
		return nil, fmt.Errorf("published checkpoint: %v", err)
	}
	n := latest.N

	// The tree recomputed from the entries alone: every entry bundle, full and partial.
	records, err := reader.entries(n)
	if err != nil {
		return nil, err
	}
	var stored []tlog.Hash
	local := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			out[i] = stored[x]
		}
		return out, nil
	})
	for i, record := range records {
		hashes, err := tlog.StoredHashesForRecordHash(int64(i), record, local)
		if err != nil {
			return nil, err
		}
		stored = append(stored, hashes...)
	}
	if root, err := tlog.TreeHash(n, local); err != nil || root != latest.Hash {
		return nil, fmt.Errorf("the tree recomputed from the %d entries does not have the checkpoint's root (%v)", n, err)
	}

	result := &summary{TreeSize: n, OldCheckpoints: []int64{}}
	tiles := tlog.TileHashReader(latest, reader)
	if err := proveRecords(latest, tiles, records, result); err != nil {
		return nil, err
	}
	for _, m := range sizesUpTo(n) {
		proof, err := proveConsistent(latest, tiles, m, local, result)
		if err != nil {
			return nil, err
		}
		if compareAPI && m < n {
			if err := reader.compareConsistencyProof(m, n, proof); err != nil {
				return nil, err
			}
			result.APIProofsEqual++
		}
	}

	for _, file := range olds {
		text, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		old, err := openCheckpoint(text, verifier)
		if err != nil {
			return nil, fmt.Errorf("old checkpoint %s: %v", file, err)
		}
		if old.N > n {
			return nil, fmt.Errorf("old checkpoint %s is larger (%d) than the published one (%d)", file, old.N, n)
		}
		// The old tree through its own tiles (narrower partial tiles), authenticated against its root.
		if err := proveRecords(old, tlog.TileHashReader(old, reader), records, result); err != nil {
			return nil, fmt.Errorf("old checkpoint of size %d: %v", old.N, err)
		}
		proof, err := tlog.ProveTree(n, old.N, tiles)
		if err != nil {
			return nil, err
		}
		if err := tlog.CheckTree(proof, n, latest.Hash, old.N, old.Hash); err != nil {
			return nil, fmt.Errorf("old checkpoint of size %d is not consistent with the published one: %v", old.N, err)
		}
		result.OldCheckpoints = append(result.OldCheckpoints, old.N)
	}
	for path := range reader.fetched {
		result.Tiles = append(result.Tiles, path)
	}
	sort.Strings(result.Tiles)
	return result, nil
}

// proveRecords proves a spread of records into tree through the tiles and checks each proof.
func proveRecords(tree tlog.Tree, tiles tlog.HashReader, records []tlog.Hash, result *summary) error {
	for _, i := range indexesBelow(tree.N) {
		proof, err := tlog.ProveRecord(tree.N, i, tiles)
		if err != nil {
			return fmt.Errorf("inclusion proof of record %d in tree %d: %v", i, tree.N, err)
		}
		if err := tlog.CheckRecord(proof, tree.N, tree.Hash, i, records[i]); err != nil {
			return fmt.Errorf("record %d in tree %d: %v", i, tree.N, err)
		}
		result.RecordsProved++
	}
	return nil
}

// proveConsistent proves the tree of size m (its root recomputed from the entries) consistent with tree.
func proveConsistent(tree tlog.Tree, tiles tlog.HashReader, m int64, local tlog.HashReader, result *summary) (tlog.TreeProof, error) {
	rootThen, err := tlog.TreeHash(m, local)
	if err != nil {
		return nil, err
	}
	proof, err := tlog.ProveTree(tree.N, m, tiles)
	if err != nil {
		return nil, fmt.Errorf("consistency proof %d → %d: %v", m, tree.N, err)
	}
	if err := tlog.CheckTree(proof, tree.N, tree.Hash, m, rootThen); err != nil {
		return nil, fmt.Errorf("tree %d → %d: %v", m, tree.N, err)
	}
	result.TreesProved++
	return proof, nil
}

// compareConsistencyProof requires the audit API's RFC 9162 proof from m to n to be Go's, hash for hash.
func (r *tileReader) compareConsistencyProof(m, n int64, want tlog.TreeProof) error {
	body, err := r.get(fmt.Sprintf("v1/audit/checkpoints/consistency?from=%d&to=%d", m, n), "application/json; charset=utf-8")
	if err != nil {
		return err
	}
	var answer struct {
		Proof []string `json:"proof"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		return fmt.Errorf("consistency proof %d → %d: %v", m, n, err)
	}
	wanted := make([]string, len(want))
	for i, hash := range want {
		wanted[i] = base64.StdEncoding.EncodeToString(hash[:])
	}
	if strings.Join(answer.Proof, ",") != strings.Join(wanted, ",") {
		return fmt.Errorf("the audit API's consistency proof %d → %d is %v, Go's is %v", m, n, answer.Proof, wanted)
	}
	return nil
}

func indexesBelow(n int64) []int64 {
	return within([]int64{0, 1, 255, 256, 257, 511, 512, n / 2, n - 2, n - 1}, 0, n-1)
}

func sizesUpTo(n int64) []int64 {
	return within([]int64{1, 2, 3, 255, 256, 257, 511, 512, 513, n / 2, n - 1, n}, 1, n)
}

func within(values []int64, lo, hi int64) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, v := range values {
		if v >= lo && v <= hi && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// openCheckpoint verifies a c2sp.org/tlog-checkpoint note and reads its origin, size and root.
func openCheckpoint(text []byte, verifier note.Verifier) (tlog.Tree, error) {
	opened, err := note.Open(text, note.VerifierList(verifier))
	if err != nil {
		return tlog.Tree{}, err
	}
	lines := strings.Split(opened.Text, "\n")
	if len(lines) != 4 || lines[3] != "" {
		return tlog.Tree{}, fmt.Errorf("a checkpoint body is three lines (origin, size, root)")
	}
	if lines[0] != verifier.Name() {
		return tlog.Tree{}, fmt.Errorf("origin %q is not the key's name %q", lines[0], verifier.Name())
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 1 || lines[1] != strconv.FormatInt(size, 10) {
		return tlog.Tree{}, fmt.Errorf("bad tree size %q", lines[1])
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != tlog.HashSize {
		return tlog.Tree{}, fmt.Errorf("bad root hash %q", lines[2])
	}
	var hash tlog.Hash
	copy(hash[:], root)
	return tlog.Tree{N: size, Hash: hash}, nil
}

// tileReader fetches c2sp.org/tlog-tiles paths: Go's tile paths carry the height ("tile/8/…") and call
// entry bundles "data", so each tlog.Tile is renamed, keeping Go's own encoding of N and W.
type tileReader struct {
	base    string
	client  *http.Client
	cache   map[tlog.Tile][]byte
	fetched map[string]bool
}

func (r *tileReader) Height() int { return tileHeight }

func (r *tileReader) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	data := make([][]byte, len(tiles))
	for i, tile := range tiles {
		if cached, ok := r.cache[tile]; ok {
			data[i] = cached
			continue
		}
		body, err := r.get(c2spPath(tile), "application/octet-stream")
		if err != nil {
			return nil, err
		}
		if len(body) != tile.W*tlog.HashSize {
			return nil, fmt.Errorf("%s: %d bytes, want %d", c2spPath(tile), len(body), tile.W*tlog.HashSize)
		}
		r.cache[tile] = body
		data[i] = body
	}
	return data, nil
}

// SaveTiles: the tiles are kept in memory only, and TileHashReader authenticates them on every read.
func (r *tileReader) SaveTiles(tiles []tlog.Tile, data [][]byte) {}

// entries downloads the entry bundles of a tree of size n and answers each entry's record hash.
func (r *tileReader) entries(n int64) ([]tlog.Hash, error) {
	var records []tlog.Hash
	for start := int64(0); start < n; start += 1 << tileHeight {
		width := n - start
		if width > 1<<tileHeight {
			width = 1 << tileHeight
		}
		tile := tlog.Tile{H: tileHeight, L: -1, N: start >> tileHeight, W: int(width)}
		body, err := r.get(c2spPath(tile), "application/octet-stream")
		if err != nil {
			return nil, err
		}
		for k := 0; k < tile.W; k++ {
			if len(body) < 2 {
				return nil, fmt.Errorf("%s: ends after %d entries, want %d", c2spPath(tile), k, tile.W)
			}
			size := int(binary.BigEndian.Uint16(body))
			if size != 32 || len(body) < 2+size {
				return nil, fmt.Errorf("%s: entry %d is %d bytes, a Ledgerline leaf input is 32", c2spPath(tile), k, size)
			}
			records = append(records, tlog.RecordHash(body[2:2+size]))
			body = body[2+size:]
		}
		if len(body) != 0 {
			return nil, fmt.Errorf("%s: %d bytes after its %d entries", c2spPath(tile), len(body), tile.W)
		}
	}
	return records, nil
}

func c2spPath(tile tlog.Tile) string {
	path := strings.TrimPrefix(tile.Path(), fmt.Sprintf("tile/%d/", tileHeight))
	if tile.L == -1 {
		path = "entries/" + strings.TrimPrefix(path, "data/")
	}
	return "tile/" + path
}

// get fetches one resource and checks its status, content type and, for tiles, its caching.
func (r *tileReader) get(path, contentType string) ([]byte, error) {
	response, err := r.client.Get(r.base + "/" + path)
	if err != nil {
		return nil, err
	}
	defer response.Body.Close()
	body, err := io.ReadAll(io.LimitReader(response.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if response.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /%s: %s: %s", path, response.Status, bytes.TrimSpace(body))
	}
	if got := response.Header.Get("Content-Type"); got != contentType {
		return nil, fmt.Errorf("GET /%s: Content-Type %q, want %q", path, got, contentType)
	}
	full := strings.HasPrefix(path, "tile/") && !strings.Contains(path, ".p/")
	if immutable := strings.Contains(response.Header.Get("Cache-Control"), "immutable"); full != immutable {
		return nil, fmt.Errorf("GET /%s: Cache-Control %q (full tiles, and only they, are immutable)", path, response.Header.Get("Cache-Control"))
	}
	if strings.HasPrefix(path, "tile/") {
		r.fetched[path] = true
	}
	return body, nil
}
