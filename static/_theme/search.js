/* helpgen search: reads the region's index in /_search/ (written by
 * internal/search: a manifest, chunks of the dictionary, long postings lists
 * shared by the terms that have them, and groups of page fragments) and
 * shows results under the header's search box.
 * internal/search/query.go reads the index the same way, step for step;
 * keep the two in agreement (the browser test compares them). */
(function () {
  "use strict";

  var FORMAT = 2;
  var MAX_WORD = 32;
  var LIMIT = 10;
  var BATCHES = 3;
  var MAX_PREFIX_CHUNKS = 2;
  var MAX_QUERY_TERMS = 8;
  var MAX_PAIRS = 6;
  var MAX_PHRASE_KEYS = 12;
  var FIELD_SCALE = 64;
  var F_TITLE = 1, F_HEADING = 2, F_BODY = 4, F_DESC = 8, F_URL = 16, F_ID = 32;
  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var MAX_RUNE = String.fromCodePoint(0x10ffff);

  // ---- tokenizer: mirrors internal/search/token.go ----

  var CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc]/u;
  var WORD = /[\p{L}\p{Nd}\p{Mn}]/u;

  // normalize mirrors Normalize in token.go: NFKC, lower case, katakana
  // to hiragana (ァ…ヶ and ヽヾ; ー and ヷ…ヺ stay).
  function normalize(s) {
    return s.normalize("NFKC").toLowerCase().replace(/[\u30a1-\u30f6\u30fd\u30fe]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0x60);
    });
  }

  function kindOf(ch) {
    if (CJK.test(ch)) return 2;
    if (WORD.test(ch)) return 1;
    return 0;
  }

  // runs splits normalized text into Word (1) and CJK (2) runs; joined
  // marks a run that follows the previous one with no separator.
  function runs(s) {
    var out = [], kind = 0, cur = "", joined = false;
    for (var ch of s) {
      var k = kindOf(ch);
      if (k !== kind) {
        if (kind !== 0) out.push({ kind: kind, text: cur, joined: joined });
        joined = kind !== 0;
        kind = k; cur = "";
      }
      cur += ch;
    }
    if (kind !== 0) out.push({ kind: kind, text: cur, joined: joined });
    return out;
  }

  // junction is the term where joined runs a and b meet.
  function junction(a, b) {
    var ca = Array.from(a);
    return ca[ca.length - 1] + String.fromCodePoint(b.codePointAt(0));
  }

  function cutWord(w) { return Array.from(w).slice(0, MAX_WORD).join(""); }

  function bigrams(s) {
    var cs = Array.from(s);
    if (cs.length === 1) return [s];
    var out = [];
    for (var i = 0; i + 1 < cs.length; i++) out.push(cs[i] + cs[i + 1]);
    return out;
  }

  // terms mirrors Terms in token.go: a CJK run's pairs, then its last
  // character alone, and a junction where a word and a CJK run touch.
  function terms(raw) {
    var out = [], prev = "";
    runs(normalize(raw)).forEach(function (r) {
      if (r.joined) out.push(junction(prev, r.text));
      prev = r.text;
      if (r.kind === 1) { out.push(cutWord(r.text)); return; }
      var cs = Array.from(r.text);
      out.push.apply(out, bigrams(r.text));
      if (cs.length > 1) out.push(cs[cs.length - 1]);
    });
    return out;
  }

  // coveringBigrams mirrors the Go function: all pairs up to MAX_PAIRS,
  // else the covering pairs and joins spread between them.
  function coveringBigrams(s) {
    var all = bigrams(s), n = all.length;
    if (n <= MAX_PAIRS) return all;
    var cover = [], joins = [], pick, k;
    for (var i = 0; i < n; i++) {
      if (i % 2 === 0 || i === n - 1) cover.push(i); else joins.push(i);
    }
    if (cover.length > MAX_PAIRS) {
      pick = [];
      for (k = 0; k < MAX_PAIRS; k++) pick.push(cover[Math.floor(k * (cover.length - 1) / (MAX_PAIRS - 1))]);
    } else {
      var rest = MAX_PAIRS - cover.length;
      pick = cover.slice();
      for (k = 0; k < rest; k++) pick.push(joins[Math.floor((2 * k + 1) * joins.length / (2 * rest))]);
      pick.sort(function (a, b) { return a - b; });
    }
    return pick.map(function (p) { return all[p]; });
  }

  function isArticleID(s) { return s !== "" && /[0-9]/.test(s) && !/[ \t\n\/]/.test(s); }

  // articleQuery mirrors the Go function: the id named by an alias path or
  // address, or after an id label, or "".
  function articleQuery(nq) {
    var q = nq.trim();
    if (q.startsWith("id")) {
      var rest = q.slice(2), id = rest.replace(/^[ :#\/-]+/, "");
      if (id !== "" && (id !== rest || /^[0-9]/.test(id)) && isArticleID(id)) return id;
    }
    if (q.indexOf("/") < 0 || /[ \t\n]/.test(q)) return "";
    if (q.startsWith("/") || q.indexOf("://") >= 0 || q.indexOf("id/") >= 0) {
      var base = q.replace(/\/+$/, "").replace(/\.html$/, "");
      base = base.slice(base.lastIndexOf("/") + 1);
      if (isArticleID(base)) return base;
    }
    return "";
  }

  // phrase mirrors the Go function: a phrase's text, keys and exactness.
  function phrase(rs) {
    var t = { text: "", keys: [], prefix: false, exact: false };
    rs.forEach(function (r, i) {
      var n = Array.from(r.text).length;
      t.text += r.text;
      if (i > 0) t.keys.push(junction(rs[i - 1].text, r.text));
      if (r.kind === 1) {
        t.keys.push(cutWord(r.text));
        t.exact = rs.length === 1 && n < MAX_WORD;
      } else if (n === 1) {
        if (rs.length === 1) t.keys.push(r.text);
        t.exact = rs.length === 1;
      } else {
        t.keys.push.apply(t.keys, coveringBigrams(r.text));
        t.exact = rs.length === 1 && n === 2;
      }
    });
    if (t.keys.length > MAX_PHRASE_KEYS) t.keys = t.keys.slice(0, MAX_PHRASE_KEYS - 1).concat(t.keys.slice(-1));
    return t;
  }

  // parseQuery mirrors ParseQuery: the query's phrases, the last one a
  // prefix while it is being typed.
  function parseQuery(q) {
    var nq = normalize(q), phrases = [], out = [], id = articleQuery(nq);
    if (id) nq = id;
    runs(nq).forEach(function (r) {
      if (r.joined) phrases[phrases.length - 1].push(r); else phrases.push([r]);
    });
    for (var i = 0; i < phrases.length && out.length < MAX_QUERY_TERMS; i++) {
      var rs = phrases[i], t = phrase(rs), last = rs[rs.length - 1];
      if (out.some(function (x) { return x.text === t.text; })) continue;
      var open = i === phrases.length - 1 && nq.endsWith(last.text);
      if (last.kind === 1) t.prefix = open && (rs.length > 1 || Array.from(last.text).length >= 2);
      else if (rs.length === 1 && Array.from(last.text).length === 1) t.prefix = true;
      out.push(t);
    }
    return out;
  }

  // phraseAt mirrors QueryTerm.Matches: the offsets in normalized text
  // where phrase t occurs, a word boundary before it if it starts with a
  // word and after it if it ends with one and is no prefix; all of them
  // (all) or the first.
  function phraseAt(t, text, all) {
    var cs = Array.from(t.text), out = [];
    var left = kindOf(cs[0]) === 1, right = kindOf(cs[cs.length - 1]) === 1 && !t.prefix;
    for (var at = text.indexOf(t.text); at >= 0 && t.text; at = text.indexOf(t.text, at + 1)) {
      var end = at + t.text.length;
      var before = at > 0 ? String.fromCodePoint(text.codePointAt(/[\uDC00-\uDFFF]/.test(text[at - 1]) ? at - 2 : at - 1)) : "";
      var after = end < text.length ? String.fromCodePoint(text.codePointAt(end)) : "";
      if ((!left || !before || kindOf(before) !== 1) && (!right || !after || kindOf(after) !== 1)) {
        out.push(at);
        if (!all) break;
      }
    }
    return out;
  }

  function phraseIn(t, text) { return phraseAt(t, text, false).length > 0; }

  // cmp orders strings by code point, as Go orders UTF-8 strings.
  function cmp(a, b) {
    var i = 0, j = 0;
    while (i < a.length && j < b.length) {
      var x = a.codePointAt(i), y = b.codePointAt(j);
      if (x !== y) return x < y ? -1 : 1;
      i += x > 0xffff ? 2 : 1;
      j += y > 0xffff ? 2 : 1;
    }
    return (a.length - i) - (b.length - j);
  }

  var VAL = {};
  for (var d = 0; d < DIGITS.length; d++) VAL[DIGITS.charCodeAt(d)] = d;

  function readNumbers(s) {
    var out = [], v = 0, mul = 1;
    for (var i = 0; i < s.length; i++) {
      var x = VAL[s.charCodeAt(i)];
      if (x === undefined) throw new Error("bad index data");
      v += (x & 31) * mul;
      mul *= 32;
      if (x >= 32) continue;
      out.push(v);
      v = 0; mul = 1;
    }
    return out;
  }

  // Field numbers as written, in the order body, heading, title,
  // description, URL, id (see fieldCode in index.go).
  var FIELD_ORDER = [F_BODY, F_HEADING, F_TITLE, F_DESC, F_URL, F_ID];

  function fieldOf(code) {
    var m = 0;
    for (var i = 0; i < FIELD_ORDER.length; i++) if (code & (1 << i)) m |= FIELD_ORDER[i];
    return m;
  }

  // decodePostings mirrors DecodePostings in postings.go: pairs of page
  // and sections*64 + fields. A list is its table of codes, then per page
  // its code (or place in the table) × 2, + 1 and the pages skipped − 1
  // when it is not the page after the previous one.
  function decodePostings(s) {
    var nums = readNumbers(s), out = [], next = 0, m = nums[0];
    if (!(m < nums.length)) throw new Error("bad index data");
    var table = nums.slice(1, 1 + m);
    for (var i = 1 + m; i < nums.length; i++) {
      var x = nums[i] >> 1;
      if (m) {
        if (x >= m) throw new Error("bad index data");
        x = table[x];
      }
      if (nums[i] & 1) {
        if (++i === nums.length) throw new Error("bad index data");
        next += nums[i] + 1;
      }
      out.push(next, (x >> 6) << 6 | fieldOf(x & 63));
      next++;
    }
    return out;
  }

  function weight(mask) {
    if (mask & F_ID) return 1000;
    if (mask & F_TITLE) return 100;
    if (mask & F_HEADING) return 30;
    if (mask & F_DESC) return 10;
    if (mask & F_URL) return 5;
    if (mask & F_BODY) return 3;
    return 0;
  }

  // ---- index reader ----

  function Index(base) {
    this.base = base;
    this.files = new Map();
    this.fetched = [];
    this.manifest = null;
  }

  Index.prototype.get = function (name, init) {
    var self = this;
    if (!this.files.has(name)) {
      this.files.set(name, fetch(this.base + name, init).then(function (r) {
        if (!r.ok) throw new Error(name + ": HTTP " + r.status);
        self.fetched.push(name);
        return r.json();
      }).catch(function (e) { self.files.delete(name); throw e; }));
    }
    return this.files.get(name);
  };

  Index.prototype.loadManifest = function () {
    var self = this;
    if (this.manifest) return Promise.resolve(this.manifest);
    // Revalidated on every page load: chunk names change with their content.
    return this.get("manifest.json", { cache: "no-cache" }).then(function (m) {
      if (m.v !== FORMAT) throw new Error("index format " + m.v);
      if (!(m.k >= 1)) throw new Error("bad index manifest");
      self.manifest = m;
      return m;
    });
  };

  Index.prototype.chunkFor = function (t) {
    var c = this.manifest.c, lo = 0, hi = c.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (cmp(c[mid], t) <= 0) lo = mid + 1; else hi = mid;
    }
    return lo - 1;
  };

  Index.prototype.chunk = function (i) {
    return this.get(this.manifest.h + "/c/" + i + ".json").then(function (c) {
      if (!c.map) {
        c.map = new Map();
        for (var j = 0; j + 1 < c.t.length; j += 2) c.map.set(c.t[j], c.t[j + 1]);
      }
      return c.map;
    });
  };

  // chunksOf is the chunks to read for key, and whether a prefix spans
  // more than MAX_PREFIX_CHUNKS of them.
  Index.prototype.chunksOf = function (key, prefix) {
    var lo = this.chunkFor(key), hi = lo, more = false;
    if (prefix) {
      lo = Math.max(lo, 0);
      var end = this.chunkFor(key + MAX_RUNE);
      hi = Math.min(end, lo + MAX_PREFIX_CHUNKS - 1);
      more = end > hi;
    }
    var out = [];
    for (var c = lo; c >= 0 && c <= hi; c++) out.push(c);
    return { chunks: out, more: more };
  };

  // and mirrors hit.and: the fields and sections holding both keys of a
  // phrase, exact where both are.
  function and(h, o) {
    var all = (h.exact | h.prefix) & (o ? o.exact | o.prefix : 0), exact = h.exact & (o ? o.exact : 0);
    return { exact: exact, prefix: all & ~exact, sections: h.sections & (o ? o.sections : 0) };
  }

  // lookup mirrors lookup in query.go: the pages holding every key of
  // phrase t in one field and section, per page the fields holding exact
  // keys and those holding only longer terms the prefix starts.
  Index.prototype.lookup = function (t) {
    var self = this, more = false;
    return Promise.all(t.keys.map(function (key, ki) {
      var prefix = t.prefix && ki === t.keys.length - 1, span = self.chunksOf(key, prefix);
      more = more || span.more;
      return Promise.all(span.chunks.map(function (c) { return self.chunk(c); }))
        .then(function (maps) {
          var found = new Map();
          // A CJK character found in the pairs it starts, or alone at the
          // end of a run, is an exact match.
          var cs = Array.from(key), single = cs.length === 1 && kindOf(cs[0]) === 2;
          var add = function (post, exact) {
            var p = decodePostings(post);
            for (var i = 0; i < p.length; i += 2) {
              var h = found.get(p[i]);
              if (!h) { h = { exact: 0, prefix: 0, sections: 0 }; found.set(p[i], h); }
              if (exact) h.exact |= p[i + 1] & 63; else h.prefix |= p[i + 1] & 63;
              h.sections |= p[i + 1] >> 6;
            }
          };
          var refs = [];
          maps.forEach(function (map) {
            if (!prefix) {
              if (map.has(key)) refs.push({ ref: map.get(key), exact: true });
              return;
            }
            map.forEach(function (ref, term) {
              if (term.startsWith(key)) refs.push({ ref: ref, exact: term === key || single });
            });
          });
          return Promise.all(refs.map(function (r) { return self.postings(r.ref); })).then(function (lists) {
            lists.forEach(function (list, i) { add(list, refs[i].exact); });
            return found;
          });
        });
    })).then(function (founds) {
      var res = founds[0];
      for (var k = 1; k < founds.length; k++) {
        var g = founds[k];
        res.forEach(function (h, d) {
          var x = and(h, g.get(d));
          if ((x.exact | x.prefix) === 0 || x.sections === 0) res.delete(d); else res.set(d, x);
        });
      }
      return { docs: res, more: more };
    });
  };

  function popcount(x) { var n = 0; for (; x; x &= x - 1) n++; return n; }

  // hitScore mirrors hit.score in query.go: the best field, then a point
  // for each further section holding the term.
  function hitScore(h) {
    return FIELD_SCALE * Math.max(2 * weight(h.exact), weight(h.prefix)) + Math.max(0, popcount(h.sections) - 1);
  }

  // section picks the part of a result to point at: the section whose
  // heading holds the most query terms, then whose text does; the title
  // counts as the heading of the top of the page (0). Ties go to the
  // earlier section.
  function section(f, query) {
    var best = 0, bestScore = 0;
    f.s.forEach(function (s, i) {
      var heading = normalize(i === 0 ? f.t : s[1]), text = normalize(s[2]), sc = 0;
      query.forEach(function (t) {
        if (phraseIn(t, heading)) sc += weight(F_HEADING);
        else if (phraseIn(t, text)) sc += weight(F_BODY);
      });
      if (sc > bestScore) { best = i; bestScore = sc; }
    });
    return best;
  }

  // postings is a term's postings from its entry in a chunk: inline, or
  // "@N" for list N, fetched once for all terms that share it.
  Index.prototype.postings = function (ref) {
    if (ref.charAt(0) !== "@") return Promise.resolve(ref);
    return this.get(this.manifest.h + "/p/" + ref.slice(1) + ".json");
  };

  // fragment is the stored text of page d: groups hold k pages each.
  Index.prototype.fragment = function (d) {
    var k = this.manifest.k, g = Math.floor(d / k);
    return this.get(this.manifest.h + "/f/" + g + ".json").then(function (docs) { return docs[d - g * k]; });
  };

  function docText(f) {
    var parts = [f.t, f.d || "", f.u.replace(/\.html$/, "")].concat(f.a || []);
    f.s.forEach(function (s) { parts.push(s[1], s[2]); });
    return normalize(parts.join("\n") + "\n");
  }

  // rank returns the candidates of a query, best first, and whether a
  // prefix spans more chunks than were read.
  Index.prototype.rank = function (query) {
    var self = this;
    return this.loadManifest().then(function () {
      return Promise.all(query.map(function (t) { return self.lookup(t); }));
    }).then(function (founds) {
      var scores = new Map();
      founds[0].docs.forEach(function (h, d) { scores.set(d, hitScore(h)); });
      for (var i = 1; i < founds.length; i++) {
        scores.forEach(function (sc, d) {
          var h = founds[i].docs.get(d);
          if (h) scores.set(d, sc + hitScore(h)); else scores.delete(d);
        });
      }
      var ranked = [];
      scores.forEach(function (sc, d) { ranked.push({ doc: d, score: sc }); });
      ranked.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
      return { ranked: ranked, more: founds.some(function (f) { return f.more; }) };
    });
  };

  // total mirrors Found in query.go: the pages confirmed or not yet
  // checked, exact when the index decides every phrase or all were checked.
  function total(state) {
    return { n: state.ranked.length - state.rejected, more: state.more,
      exact: state.pos >= state.ranked.length || state.query.every(function (t) { return t.exact; }) };
  }

  // more verifies candidates from state.pos on, a batch at a time, until
  // LIMIT more results are found or BATCHES batches were read.
  Index.prototype.more = function (state) {
    var self = this, found = [];
    function round(b) {
      if (b >= BATCHES || found.length >= LIMIT || state.pos >= state.ranked.length) return Promise.resolve(found);
      var batch = state.ranked.slice(state.pos, state.pos + LIMIT);
      return Promise.all(batch.map(function (r) { return self.fragment(r.doc); })).then(function (frags) {
        for (var i = 0; i < batch.length; i++) {
          state.pos++;
          var f = frags[i], text = docText(f);
          var ok = state.query.every(function (t) { return phraseIn(t, text); });
          if (!ok) { state.rejected++; continue; }
          var r = batch[i], at = section(f, state.query), sec = at > 0 ? f.s[at] : null;
          found.push({ doc: r.doc, score: r.score, section: at, frag: f,
            url: f.u + (sec ? "#" + sec[0] : ""), title: f.t, heading: sec ? sec[1] : "" });
          if (found.length === LIMIT) break;
        }
        return round(b + 1);
      });
    }
    return round(0);
  };

  // search returns the first results of q, their total and the state to
  // fetch more.
  Index.prototype.search = function (q) {
    var self = this, query = parseQuery(q);
    if (query.length === 0) return Promise.resolve({ results: [], state: null, total: { n: 0, exact: true, more: false } });
    return this.rank(query).then(function (rk) {
      var state = { query: query, ranked: rk.ranked, more: rk.more, pos: 0, rejected: 0 };
      return self.more(state).then(function (results) { return { results: results, state: state, total: total(state) }; });
    });
  };

  // ---- snippets ----

  // normMap normalizes text one character at a time, remembering where in
  // the original each normalized code unit came from.
  function normMap(text) {
    var norm = "", map = [];
    for (var i = 0; i < text.length;) {
      var ch = String.fromCodePoint(text.codePointAt(i)), n = normalize(ch);
      for (var k = 0; k < n.length; k++) map.push(i);
      norm += n;
      i += ch.length;
    }
    map.push(text.length);
    return { norm: norm, map: map };
  }

  // matches returns the ranges of text, merged and in order, where a
  // phrase of the query occurs.
  function matches(text, query) {
    var nm = normMap(text), ranges = [];
    query.forEach(function (t) {
      phraseAt(t, nm.norm, true).forEach(function (at) {
        ranges.push([nm.map[at], nm.map[at + t.text.length]]);
      });
    });
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    var out = [];
    ranges.forEach(function (r) {
      var last = out[out.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]); else out.push(r.slice());
    });
    return out;
  }

  // highlight appends text[from:to] to el with the matches marked.
  function highlight(el, text, ranges, from, to) {
    var at = from;
    ranges.forEach(function (r) {
      var a = Math.max(r[0], from), b = Math.min(r[1], to);
      if (a >= b) return;
      if (a > at) el.appendChild(document.createTextNode(text.slice(at, a)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(a, b);
      el.appendChild(mark);
      at = b;
    });
    if (at < to) el.appendChild(document.createTextNode(text.slice(at, to)));
  }

  var BEFORE = 30, LENGTH = 110, BACK = 20;

  // charClass sorts a character for snippet boundaries: Latin-like word
  // characters, each CJK script, or a separator (0).
  function charClass(ch) {
    if (/[\p{Script=Han}]/u.test(ch)) return "han";
    if (/[\p{Script=Hiragana}]/u.test(ch)) return "hira";
    if (/[\p{Script=Katakana}\u30fc]/u.test(ch)) return "kata";
    if (/[\p{Script=Hangul}]/u.test(ch)) return "hangul";
    return WORD.test(ch) ? "word" : 0;
  }

  // snippetStart moves a snippet's start back from at to the start of the
  // word, address (cybozu.com) or run of one script it falls in, at most
  // BACK code units, so the snippet does not begin mid-word.
  function snippetStart(text, at) {
    if (at <= 0) return 0;
    if (/[\uDC00-\uDFFF]/.test(text[at])) at--;
    var before = function (i) {
      var ch = text[i - 1];
      return /[\uDC00-\uDFFF]/.test(ch) && i >= 2 ? text[i - 2] + ch : ch;
    };
    var cls = charClass(String.fromCodePoint(text.codePointAt(at)));
    if (!cls) return at;
    var i = at;
    while (i > 0 && at - i < BACK) {
      var ch = before(i), c = charClass(ch);
      if (c === cls) { i -= ch.length; continue; }
      // Joiners inside an address or identifier: cybozu.com, user_name.
      if (cls === "word" && /^[.\-_@\/:]$/.test(ch) && i >= 2 && charClass(before(i - 1)) === "word") { i--; continue; }
      return i;
    }
    return i === 0 ? 0 : at;
  }

  // snippet is the target section's text around the first match, or the
  // description, or the start of the page.
  function snippet(el, r, query) {
    var f = r.frag, texts = [f.s[r.section] ? f.s[r.section][2] : "", f.d || "", f.s[0] ? f.s[0][2] : ""];
    var text = texts[0], ranges = [];
    for (var i = 0; i < texts.length; i++) {
      ranges = matches(texts[i], query);
      if (ranges.length) { text = texts[i]; break; }
    }
    if (!ranges.length) text = texts.find(function (t) { return t; }) || "";
    var start = ranges.length ? snippetStart(text, Math.max(0, ranges[0][0] - BEFORE)) : 0;
    var end = Math.min(text.length, start + LENGTH);
    if (end < text.length && /[\uD800-\uDBFF]/.test(text[end - 1])) end++;
    if (start > 0) el.appendChild(document.createTextNode("…"));
    highlight(el, text, ranges, start, end);
    if (end < text.length) el.appendChild(document.createTextNode("…"));
  }

  // ---- the target page ----

  // withQuery adds the query to a result's address, before its fragment,
  // so that the page it opens marks the query.
  function withQuery(url, q) {
    var i = url.indexOf("#"), path = i < 0 ? url : url.slice(0, i);
    return path + "?q=" + encodeURIComponent(q) + (i < 0 ? "" : url.slice(i));
  }

  // The words of the bar above a marked page, by the page's language; the
  // theme's languages only (ja, zh, en), English otherwise.
  var HITS = {
    ja: { found: "「{q}」を強調表示しています（{n}か所）。", clear: "強調表示を消す" },
    zh: { found: "已突出显示“{q}”（{n}处）。", clear: "取消突出显示" },
    en: { found: "Highlighting “{q}” ({n}).", clear: "Clear highlighting" }
  };

  // textNodes lists the text of el a reader sees, outside scripts, styles
  // and code copied as is.
  function textNodes(el) {
    var out = [], walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        return n.parentElement.closest("script,style,noscript,textarea,.search-hits") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    while (walker.nextNode()) out.push(walker.currentNode);
    return out;
  }

  // markPage marks where the query of ?q= occurs in the page's title and
  // article (not in the breadcrumbs or the table of contents) and puts a
  // bar above them that says so and clears the marks.
  function markPage() {
    var q = new URLSearchParams(location.search).get("q"), root = document.getElementById("main");
    if (!q || !root) return;
    var query = parseQuery(q), marks = [], parts = root.querySelectorAll("h1, article");
    if (!query.length) return;
    if (!parts.length) parts = [root];
    Array.prototype.reduce.call(parts, function (all, el) { return all.concat(textNodes(el)); }, []).forEach(function (node) {
      var text = node.nodeValue, ranges = matches(text, query);
      if (!ranges.length) return;
      var frag = document.createDocumentFragment();
      highlight(frag, text, ranges, 0, text.length);
      frag.querySelectorAll("mark").forEach(function (m) { m.className = "search-hit"; marks.push(m); });
      node.parentNode.replaceChild(frag, node);
    });
    if (!marks.length) return;
    var words = HITS[(document.documentElement.lang || "en").slice(0, 2)] || HITS.en;
    var bar = document.createElement("p");
    bar.className = "search-hits";
    bar.setAttribute("role", "status");
    bar.style.cssText = "display:flex;flex-wrap:wrap;align-items:center;gap:.5em;margin:0 0 1em";
    var label = document.createElement("span");
    label.textContent = words.found.replace("{q}", q.trim()).replace("{n}", marks.length);
    var clear = document.createElement("button");
    clear.type = "button";
    clear.className = "search-hits-clear";
    clear.style.cssText = "min-height:44px;min-width:44px;font:inherit;cursor:pointer";
    clear.textContent = words.clear;
    clear.addEventListener("click", function () {
      marks.forEach(function (m) {
        var parent = m.parentNode;
        parent.replaceChild(document.createTextNode(m.textContent), m);
        parent.normalize();
      });
      bar.remove();
      var url = new URL(location.href);
      url.searchParams.delete("q");
      history.replaceState(history.state, "", url.pathname + url.search + url.hash);
      root.focus({ preventScroll: true });
    });
    bar.appendChild(label);
    bar.appendChild(clear);
    if (parts[0] === root) root.insertBefore(bar, root.firstChild);
    else parts[0].parentNode.insertBefore(bar, parts[0]);
  }

  // ---- the search box ----

  function init() {
    var form = document.querySelector("form[data-search]");
    if (!form) return;
    var input = form.querySelector(".search-input");
    var panel = form.querySelector(".search-panel");
    var status = form.querySelector(".search-status");
    var list = form.querySelector(".search-results");
    var help = form.querySelector(".search-help");
    var index = new Index(form.getAttribute("data-search"));
    var seq = 0, active = -1, state = null, shown = 0, timer = 0, composing = false, shownQ = null;
    form.hidden = false;

    function options() { return list.querySelectorAll("[role=option]"); }

    function setActive(i) {
      var opts = options();
      active = Math.max(-1, Math.min(i, opts.length - 1));
      opts.forEach(function (o, k) { o.setAttribute("aria-selected", k === active ? "true" : "false"); });
      if (active >= 0) {
        input.setAttribute("aria-activedescendant", opts[active].id);
        opts[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open(on) {
      panel.hidden = !on;
      input.setAttribute("aria-expanded", on ? "true" : "false");
      if (!on) setActive(-1);
    }

    function message(key, vars) {
      var s = form.getAttribute("data-" + key) || "";
      return s.replace(/\{(\w+)\}/g, function (_, k) { return vars && k in vars ? vars[k] : ""; });
    }

    // count spells a total: "≈" when pages the index gave are not all
    // checked yet and may lack a phrase, "+" when a prefix stands for more
    // words than were read (type more letters to see them all).
    function count(t) {
      var lang = document.documentElement.lang || undefined;
      return (t.exact ? "" : "≈") + t.n.toLocaleString(lang) + (t.more ? "+" : "");
    }

    function option(r, query, n) {
      var li = document.createElement("li");
      li.id = "search-option-" + n;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.className = "search-result";
      var a = document.createElement("a");
      a.href = withQuery(r.url, input.value);
      a.tabIndex = -1;
      var title = document.createElement("span");
      title.className = "search-result-title";
      highlight(title, r.title, matches(r.title, query), 0, r.title.length);
      a.appendChild(title);
      var ids = (r.frag.a || []).filter(function (id) {
        var nid = normalize(id);
        return query.some(function (t) { return nid.indexOf(t.text) >= 0; });
      });
      if (ids.length) {
        var badge = document.createElement("span");
        badge.className = "search-result-id";
        badge.textContent = message("id") + " " + ids.join(", ");
        a.appendChild(badge);
      }
      if (r.heading) {
        var h = document.createElement("span");
        h.className = "search-result-heading";
        highlight(h, r.heading, matches(r.heading, query), 0, r.heading.length);
        a.appendChild(h);
      }
      var p = document.createElement("span");
      p.className = "search-result-snippet";
      snippet(p, r, query);
      a.appendChild(p);
      li.appendChild(a);
      li.addEventListener("mousemove", function () { setActive(n); });
      return li;
    }

    function moreOption() {
      var li = document.createElement("li");
      li.id = "search-option-more";
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.className = "search-more";
      li.textContent = message("more");
      li.addEventListener("click", showMore);
      return li;
    }

    function render(results, append) {
      var more = list.querySelector(".search-more");
      if (more) more.remove();
      if (!append) { list.textContent = ""; shown = 0; }
      results.forEach(function (r) { list.appendChild(option(r, state.query, shown++)); });
      if (state && state.pos < state.ranked.length) list.appendChild(moreOption());
    }

    function run() {
      var q = input.value, my = ++seq;
      clearTimeout(timer);
      timer = 0;
      if (!q.trim()) { state = null; shownQ = q; list.textContent = ""; open(false); return Promise.resolve(); }
      status.textContent = message("loading");
      open(true);
      return index.search(q).then(function (res) {
        if (my !== seq) return;
        state = res.state;
        shownQ = q;
        // The query the panel shows results for, also for tests to wait on.
        form.setAttribute("data-query", q);
        active = -1;
        input.removeAttribute("aria-activedescendant");
        render(res.results, false);
        var none = res.results.length === 0;
        status.textContent = none ? message("no-results", { q: q.trim() }) : message("count", { n: count(res.total) });
        help.hidden = !none;
        form.classList.toggle("search-empty", none);
      }).catch(function (e) {
        if (my !== seq) return;
        list.textContent = "";
        status.textContent = message("error");
        help.hidden = true;
        if (window.console) console.error("helpgen search:", e);
      });
    }

    function showMore() {
      if (!state) return;
      var my = seq, at = shown;
      index.more(state).then(function (results) {
        if (my !== seq) return;
        render(results, true);
        status.textContent = message("count", { n: count(total(state)) });
        setActive(at);
      });
    }

    function go(target) {
      if (!target) return;
      if (target.classList.contains("search-more")) { showMore(); return; }
      open(false);
      window.location.href = target.querySelector("a").href;
    }

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    }

    input.addEventListener("compositionstart", function () { composing = true; });
    input.addEventListener("compositionend", function () { composing = false; schedule(); });
    input.addEventListener("input", function (e) { if (!composing && !e.isComposing) schedule(); });
    input.addEventListener("focus", function () { if (input.value.trim() && list.childElementCount) open(true); });
    input.addEventListener("keydown", function (e) {
      if (e.isComposing || composing) return;
      var opts = options();
      switch (e.key) {
        case "ArrowDown":
          if (panel.hidden && input.value.trim()) open(true);
          setActive(active + 1);
          e.preventDefault();
          break;
        case "ArrowUp":
          setActive(active - 1);
          e.preventDefault();
          break;
        case "Home":
        case "End":
          if (active >= 0 && opts.length) { setActive(e.key === "Home" ? 0 : opts.length - 1); e.preventDefault(); }
          break;
        case "Enter":
          e.preventDefault();
          if (active < 0 && input.value !== shownQ) {
            // Typed faster than the results came: search now, then go.
            run().then(function () { go(options()[0]); });
            return;
          }
          go(opts[active >= 0 ? active : 0]);
          break;
        case "Escape":
          if (!panel.hidden) open(false); else input.value = "";
          e.preventDefault();
          break;
      }
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    document.addEventListener("click", function (e) { if (!form.contains(e.target)) open(false); });
    document.addEventListener("keydown", function (e) {
      var el = document.activeElement;
      if (e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey &&
          !(el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName)))) {
        input.focus();
        e.preventDefault();
      }
    });
  }

  // Exposed for the browser test, which checks them against the Go side.
  window.helpgenSearch = { normalize: normalize, terms: terms, parseQuery: parseQuery, snippetStart: snippetStart, Index: Index };

  function start() { init(); markPage(); }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
