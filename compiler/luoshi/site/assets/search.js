/* luoshi site: search over the site's own index (assets/search-index.js and assets/search/, written by `luoshi
   site`; see luoshi/site/search.py for why not the theme's). The index is plain scripts loaded by <script>
   elements, which also works when the site is opened from a shared folder: the head the first time the reader
   uses the search box, then for each query only the pages that hold every two characters typed side by side
   (search_index.py), whose results show as their chunks arrive (the box gets data-luoshi-done when the last has).

   Ranking: a page whose exact name is what was typed (县民政局, 云阳县民政局, 渝府办发〔2018〕161号) comes first; then
   a name that ends with it (161号 is the tail of a 文号) or begins with it; then pages whose title, then whose text
   contain it. A page is listed only if it contains every word typed. A query no page contains whole (云阳县民政局
   临时救助) is split at the registry's names, longest first, trying every position up to the last character, and
   each piece must then be found. An occurrence that straddles the inside cut of a word the index lists (民政 in
   人民|政府, the standard units' 各乡镇人民政府…) is not a match. Results are built as DOM nodes: no page text is
   ever parsed as HTML. A query nothing holds is read as one mistyped character (特困人员共养: 特困人员供养), and the
   results of the word the most pages hold are shown under a note saying so (correct()). */
(function () {
  "use strict";
  var MAX_SHOWN = 50;
  var GUESS_PAGES = 1500;   // pages a guess at a mistyped character may load, at most, for each position
  var TEXT_LENGTH = 1500;   // a page's text up to this long counts its occurrences in full (score())
  var box, input, list, meta, base, requested = false, waiting = null;

  function own() {
    var script = document.querySelector("script[src$='assets/search.js']");
    return script ? script.src.replace(/assets\/search\.js(\?.*)?$/, "") : "";
  }

  /* = search_index.py's normalize(), step for step: NFKC (１６１ is 161, （ is ( ), lower case, traditional
     characters simplified (the index's head lists those its pages need: 臨 → 临), every bracket round a 文号's
     year 〔〕 (【2018】, [2018], (2018)), a year typed with no bracket put in one (渝府办发2018161号), no spaces. */
  var FOLD = null, FOLDED = null;

  function normalize(text) {
    var s = String(text).normalize("NFKC").toLowerCase();
    if (FOLDED) {
      s = s.replace(FOLDED, function (c) { return FOLD[c]; });
    }
    return s.replace(/[［\[【]/g, "〔").replace(/[］\]】]/g, "〕")
      .replace(/[（]/g, "(").replace(/[）]/g, ")")
      .replace(/\s+/g, "").replace(/\((\d{4})\)/g, "〔$1〕")
      .replace(/([^\d〔第.\-\/])((?:19|20)\d{2})(\d{1,4}号)/g, "$1〔$2〕$3");
  }

  /* What separates the words of a query besides spaces: punctuation typed between them (临时救助，低保 or 低保？),
     after normalize() (， is then ,); a full stop between digits (2.2.1) is a task number's, not a separator. */
  var PUNCT = /[,;:?!、。“”‘’"'《》〈〉「」『』…·—]+|\.(?!\d)|(^|[^\d])\./g;

  function words(piece) {
    var spaced = piece.replace(PUNCT, "$1 "), asked = false;
    if (prepared && prepared.fillers) {
      spaced = spaced.replace(prepared.fillers, function () {   // 低保怎么申请: 低保 申请 (search_terms.toml)
        asked = true;
        return " ";
      });
    }
    var out = spaced.split(" ").filter(Boolean).map(function (w) {
      return w.replace(DOCNO_TAIL, "号");
    });
    /* A single character a question word cut off (残疾人补贴怎么领: 领, 能不能办: 办) is the question's verb, not
       what is looked for: dropped when a longer word is left. */
    var longer = out.some(function (w) { return w.length > 1; });
    return asked && longer ? out.filter(function (w) { return w.length > 1; }) : out;
  }

  /* A word without the words a reader puts before or after what they look for (search_terms.toml's leading and
     trailing: 能申请低保 → 申请低保, 我申请临时救助 → 申请临时救助), as long as two characters are left; the word
     itself when none. Used only for a word no page holds whole (能力提升 stays as typed). */
  function trim(word) {
    var again = true;
    while (again && prepared) {
      again = false;
      prepared.leading.forEach(function (w) {
        if (!again && word.length - w.length >= 2 && word.indexOf(w) === 0) {
          word = word.slice(w.length);
          again = true;
        }
      });
      prepared.trailing.forEach(function (w) {
        if (!again && word.length - w.length >= 2 && word.slice(-w.length) === w) {
          word = word.slice(0, -w.length);
          again = true;
        }
      });
    }
    return word;
  }

  /* A 文号 typed loosely, its year and number apart (渝府办发2018 161, 渝府办发 2018年161号, 渝府办发【2018】 161):
     read as printed (渝府办发〔2018〕161号) before the query is cut at its spaces. Only after a Chinese character
     that does not end a date or a count (年, 第, 至 …), so 2019年底 and 截至2019年 stay as typed. */
  var LOOSE_DOCNO = /([\u4e00-\u9fff])\s*[〔\[【(（［]?\s*((?:19|20)\d{2})\s*年?\s*[〕\]】)）］]?\s*(\d{1,4})\s*(?:号|(?=\s|$))/g;

  function loose(query) {
    return String(query).replace(LOOSE_DOCNO, function (all, before, year, number) {
      return /[年第至到于在前底月日约近共计]/.test(before) ? all : before + "〔" + year + "〕" + number + "号";
    });
  }

  /* Every way of saying `term` the site's groups of synonyms give (低保标准: 最低生活保障标准 too), `term` first:
     each group's longest member in it replaced by each other member of the group, at most MAX_VARIANTS. */
  var MAX_VARIANTS = 12;

  function variants(term) {
    var out = [term];
    (prepared ? prepared.synonyms : []).forEach(function (group) {
      var found = "";
      group.forEach(function (member) {
        if (member.length > found.length && term.indexOf(member) >= 0) {
          found = member;
        }
      });
      if (!found) {
        return;
      }
      out.slice().forEach(function (said) {
        group.forEach(function (member) {
          var other = said.split(found).join(member);
          if (member !== found && out.indexOf(other) < 0 && out.length < MAX_VARIANTS) {
            out.push(other);
          }
        });
      });
    });
    return out;
  }

  /* 161号文, 22号文件: a 文号 as said, with the word for "document" after it (kept when a page holds it whole). */
  var DOCNO_TAIL = /号文件?$/;

  /* The index comes in pieces (luoshi/site/search_index.py): the head (assets/search-index.js) first; then, for a
     query, the buckets listing the pages that hold each of its keys (pairs of adjacent characters, and single
     characters), and the chunks holding the pages that hold them all. Each is a plain script that calls
     window.luoshiSearchShard, so this works from file:// too. */
  var WINDOW = 3;           // chunks asked for at once
  var INDEXED = /[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef0-9a-z]/;   // = search_index.py's INDEXED
  var shards = { c: {}, d: {} }, asked = { c: {}, d: {} }, arrived = [];

  window.luoshiSearchShard = function (kind, number, data) {
    shards[kind][number] = data;
    var then = arrived;
    arrived = [];
    then.forEach(function (f) { f(); });
  };

  function fetchShard(kind, number) {
    if (asked[kind][number]) {
      return;
    }
    asked[kind][number] = true;
    var script = document.createElement("script");
    script.src = base + prepared.folder + "/" + kind + "-" + number + ".js";
    script.onerror = function () {
      meta.textContent = "无法载入搜索索引（" + prepared.folder + "/" + kind + "-" + number + ".js）。";
    };
    document.head.appendChild(script);
  }

  function load(then) {
    if (window.luoshiSearchIndex) {
      prepare();
      then();
      return;
    }
    waiting = then;
    if (requested) {
      return;
    }
    requested = true;
    meta.textContent = "正在载入搜索索引……";
    var script = document.createElement("script");
    script.src = base + "assets/search-index.js";
    script.onload = function () {
      prepare();
      if (waiting) {
        waiting();
      }
    };
    script.onerror = function () {
      meta.textContent = "无法载入搜索索引（assets/search-index.js）。";
    };
    document.head.appendChild(script);
  }

  var prepared = null;

  function prepare() {
    if (prepared) {
      return;
    }
    var data = window.luoshiSearchIndex;
    var fold = data.folds || "";
    if (fold) {
      FOLD = {};
      for (var f = 0; f + 1 < fold.length; f += 2) {
        FOLD[fold.charAt(f)] = fold.charAt(f + 1);
      }
      FOLDED = new RegExp("[" + Object.keys(FOLD).join("") + "]", "g");
    }
    var kinds = {};
    data.kinds.forEach(function (k, i) { kinds[k] = i; });
    var words = {};
    var longest = 1;
    data.words.forEach(function (w) {
      var n = normalize(w);
      words[n] = true;
      longest = Math.max(longest, n.length);
    });
    /* the ways of saying a thing of search_terms.toml, where a reader's sentence is cut (segment(…, true)):
       申请低保 is 申请|低保, and the shorthand below never splits 低保. Not in a name's place otherwise: 低保标准,
       which task pages hold whole, would then also load every page holding 低保 and 标准 apart, first. */
    var said = {};
    [].concat.apply([], data.synonyms || []).forEach(function (w) {
      var n = normalize(w);
      said[n] = true;
      longest = Math.max(longest, n.length);
    });
    var firsts = [], first = 0;
    data.chunks.forEach(function (n) {
      firsts.push(first);
      first += n;
    });
    prepared = {
      words: words,
      said: said,
      longest: longest,
      kinds: kinds,
      nkinds: data.kinds.length,
      pages: data.pages,
      firsts: firsts,
      buckets: data.buckets,
      folder: data.folder,
      docs: {},            // page number → prepared page, for the chunks loaded so far
      synonyms: (data.synonyms || []).map(function (group) { return group.map(normalize); }),
      fillers: fillerPattern(data.fillers || []),
      leading: longestFirst(data.leading || []),
      trailing: longestFirst(data.trailing || []),
      straddles: (data.straddles || []).map(function (w) {
        return { word: normalize(w.replace("|", "")), cut: w.indexOf("|") };
      })
    };
  }

  /* The question words of search_terms.toml as one pattern, longest first; a one-character one (吗, 呢) only
     where a word ends. */
  function fillerPattern(fillers) {
    var escape = function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); };
    var long = fillers.filter(function (w) { return w.length > 1; }).sort(function (a, b) { return b.length - a.length; });
    var short = fillers.filter(function (w) { return w.length === 1; });
    var parts = long.map(escape).concat(short.length ? ["[" + short.map(escape).join("") + "](?= |$)"] : []);
    return parts.length ? new RegExp(parts.join("|"), "g") : null;
  }

  function longestFirst(list) {
    return list.map(normalize).sort(function (a, b) { return b.length - a.length || (a < b ? -1 : 1); });
  }

  function chunkOf(page) {
    var lo = 0, hi = prepared.firsts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (prepared.firsts[mid] <= page) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /* Page `page` of chunk `number` ready to search, once the chunk has arrived (undefined before): prepared when
     a query first needs it, so a chunk costs only the pages some query has asked for. */
  function doc(page, number) {
    var ready = prepared.docs[page], rows = shards.d[number];
    if (ready || !rows) {
      return ready;
    }
    var d = rows[page - prepared.firsts[number]];
    ready = prepared.docs[page] = {
      page: page, path: d[0], title: d[1], kind: d[2], rank: prepared.kinds[d[2]] === undefined ? prepared.nkinds : prepared.kinds[d[2]],
      tier: d[5] || 0,
      names: d[3].map(normalize), title_n: normalize(d[1]), text: d[4], text_n: normalize(d[4])
    };
    return ready;
  }

  /* A key's bucket: search_index.py's _slot, modulo the bucket count. */
  function bucketOf(key) {
    var slot = key.length === 1 ? key.charCodeAt(0) : key.charCodeAt(0) * 65536 + key.charCodeAt(1);
    return slot % prepared.buckets;
  }

  /* The keys of a string a page holds whole: each two indexed characters side by side, and each indexed
     character no such pair covers. */
  function keysIn(part) {
    var keys = [];
    for (var i = 0; i < part.length; i++) {
      var here = INDEXED.test(part.charAt(i));
      var paired = here && ((i + 1 < part.length && INDEXED.test(part.charAt(i + 1))) ||
                            (i > 0 && INDEXED.test(part.charAt(i - 1))));
      if (here && i + 1 < part.length && INDEXED.test(part.charAt(i + 1))) {
        keys.push(part.substr(i, 2));
      } else if (here && !paired) {
        keys.push(part.charAt(i));
      }
    }
    return keys;
  }

  /* What every matching page holds, as a tree of keys ({and: […]}, {or: […]}, a key): for each word of the
     query (a page holding a piece whole holds each of its words too), one way of saying it whole, or each part
     the segmenter cuts it into said one of its ways (terms() below looks for nothing else). */
  function keysOf(query) {
    var all = [];
    function said(text) {
      return { or: variants(text).map(function (v) { return { and: keysIn(v) }; }) };
    }
    loose(query).split(/\s+/).map(normalize).filter(Boolean).forEach(function (piece) {
      words(piece).forEach(function (word) {
        var bare = trim(word);
        all.push({ or: [said(word), said(bare), { and: segment(bare, bare !== word).map(said) }] });
      });
    });
    return { and: all };
  }

  /* Every key a tree names (the buckets to load). */
  function flat(tree, out) {
    out = out || [];
    if (typeof tree === "string") {
      if (out.indexOf(tree) < 0) {
        out.push(tree);
      }
    } else {
      (tree.and || tree.or).forEach(function (t) { flat(t, out); });
    }
    return out;
  }

  /* The pages a tree allows, as {page: true}, or null for every page (an empty and). */
  function allowed(tree) {
    if (typeof tree === "string") {
      var gaps = shards.c[bucketOf(tree)][tree], pages = {}, at = 0;
      if (gaps) {
        gaps.split(",").forEach(function (g) {
          at += parseInt(g, 36);
          pages[at] = true;
        });
      }
      return pages;
    }
    var found = null;
    if (tree.and) {
      tree.and.forEach(function (t) {
        var here = allowed(t);
        if (here && found) {
          Object.keys(found).forEach(function (p) {
            if (!here[p]) {
              delete found[p];
            }
          });
        } else if (here) {
          found = here;
        }
      });
      return found;
    }
    for (var i = 0; i < tree.or.length; i++) {
      var some = allowed(tree.or[i]);
      if (!some) {
        return null;
      }
      found = found || {};
      Object.keys(some).forEach(function (p) { found[p] = true; });
    }
    return found || {};
  }

  /* The pages that may match the query (every page, for a query with no key): a page that matches holds what
     the tree asks, whether the query is found whole, in pieces, or said another way. */
  function candidates(tree) {
    var found = allowed(tree);
    if (found) {
      return Object.keys(found).map(Number).sort(function (a, b) { return a - b; });
    }
    var all = [];
    for (var i = 0; i < prepared.pages; i++) {
      all.push(i);
    }
    return all;
  }

  /* Loads what `query` needs and calls back with (its candidate pages, all loaded?), again as each chunk arrives:
     the first results show while later chunks load; the last call has every candidate. With `most`, a query
     holding more candidate pages than that loads none and is called back with none.  */
  function gather(query, then, live, most) {
    var keys = keysOf(query);
    var buckets = flat(keys).map(bucketOf);
    function withBuckets() {
      if (!live()) {
        return;   // a newer query
      }
      if (!buckets.every(function (b) { return shards.c[b]; })) {
        arrived.push(withBuckets);
        return;
      }
      var pages = candidates(keys), owner = pages.map(chunkOf), chunks = [];
      if (most && pages.length > most) {
        then([], true);   // a guess (correct()) that would load more than it is worth
        return;
      }
      owner.forEach(function (c) {
        if (chunks[chunks.length - 1] !== c) {
          chunks.push(c);
        }
      });
      /* A few chunks at a time, in order (units, roles and policies first): the first results show after the
         first chunk instead of after all of them, which would otherwise arrive and be parsed together. */
      var next = 0;
      function more() {
        var waiting = 0;
        for (var i = 0; i < next; i++) {
          waiting += shards.d[chunks[i]] ? 0 : 1;
        }
        while (next < chunks.length && waiting < WINDOW) {
          if (!shards.d[chunks[next]]) {
            fetchShard("d", chunks[next]);
            waiting += 1;
          }
          next += 1;
        }
      }
      function withChunks() {
        if (!live()) {
          return;   // a newer query: stop loading for this one
        }
        more();
        var done = chunks.every(function (c) { return shards.d[c]; });
        then(pages.map(function (p, i) { return doc(p, owner[i]); }).filter(Boolean), done);
        if (!done) {
          arrived.push(withChunks);
        }
      }
      withChunks();
    }
    buckets.forEach(function (b) { fetchShard("c", b); });
    withBuckets();
  }

  /* A query piece no page holds whole, split at the registry's names (and, for a reader's sentence, `sentence`,
     at the ways of saying a thing too): at each position the longest name that starts there (up to the last
     character); characters no name starts at stay together as one piece. */
  function segment(term, sentence) {
    var out = [], rest = "", i = 0;
    while (i < term.length) {
      var found = 0;
      for (var n = Math.min(prepared.longest, term.length - i); n >= 2; n--) {
        if (prepared.words[term.substr(i, n)] || (sentence && prepared.said[term.substr(i, n)])) {
          found = n;
          break;
        }
      }
      if (found) {
        if (rest) {
          out.push(rest);
          rest = "";
        }
        out.push(term.substr(i, found));
        i += found;
      } else {
        rest += term.charAt(i);
        i += 1;
      }
    }
    if (rest) {
      out.push(rest);
    }
    return out;
  }

  /* False when hay[at, at+len) crosses the cut of a listed word around it without covering the word: 民政 inside
     人民|政府 (政府 and 人民政府 are kept). */
  function genuine(hay, at, len) {
    return prepared.straddles.every(function (s) {
      var j = hay.indexOf(s.word, Math.max(0, at - s.word.length + 1));
      while (j >= 0 && j < at + len) {
        var cut = j + s.cut;
        if (at < cut && cut < at + len && !(at <= j && at + len >= j + s.word.length)) {
          return false;
        }
        j = hay.indexOf(s.word, j + 1);
      }
      return true;
    });
  }

  /* indexOf for a query term, skipping occurrences that are not genuine. */
  function find(hay, term, from) {
    var at = hay.indexOf(term, from || 0);
    while (at >= 0 && !genuine(hay, at, term.length)) {
      at = hay.indexOf(term, at + 1);
    }
    return at;
  }

  function contains(doc, term) {
    return find(doc.text_n, term) >= 0 || find(doc.title_n, term) >= 0 ||
      doc.names.some(function (n) { return find(n, term) >= 0; });
  }

  function score(doc, term) {
    var best = 0;
    doc.names.forEach(function (n) {
      var at = find(n, term);
      if (n === term) {
        best = Math.max(best, 1000);
      } else if (n.length > term.length && n.slice(-term.length) === term && /\d/.test(term)) {
        best = Math.max(best, 800);          // the tail of a 文号: 161号, 〔2018〕161号
      } else if (at === 0) {
        best = Math.max(best, 600 - Math.min(n.length - term.length, 100));
      } else if (at > 0) {
        best = Math.max(best, 400 - Math.min(n.length - term.length, 100));
      }
    });
    if (doc.title_n === term) {
      best = Math.max(best, 900);
    } else if (find(doc.title_n, term) >= 0) {
      best = Math.max(best, 300 - Math.min(doc.title_n.length - term.length, 100));
    }
    var count = 0, at = find(doc.text_n, term);
    while (at >= 0 && count < 20) {
      count += 1;
      at = find(doc.text_n, term, at + term.length);
    }
    /* Occurrences in the text count less on a long page, and more on a task's, which holds its text first-hand
       where a unit's checklist, a role's or a policy's page repeats it among others': 2019年底 is the deadline
       of a few tasks, and a line on each of forty 乡镇's checklists and in the rules' reference, which would
       otherwise fill the fifty results shown before any task. */
    var weight = Math.min(1, TEXT_LENGTH / Math.max(1, doc.text_n.length)) * (doc.kind === "任务" ? 2 : 1);
    return best + count * 5 * weight;
  }

  /* A page holds one of the ways of saying a term (variants()). */
  function holds(doc, said) {
    return said.some(function (t) { return contains(doc, t); });
  }

  /* The query's terms, each as the ways of saying it (低保: 低保 and 最低生活保障); a page must hold every term. */
  function terms(query, docs) {
    var pieces = loose(query).split(/\s+/).map(normalize).filter(Boolean);
    var out = [];
    function held(said) {
      return docs.some(function (d) { return holds(d, said); });
    }
    pieces.forEach(function (piece) {
      var whole = variants(piece);
      if (held(whole)) {
        out.push(whole);
        return;
      }
      words(piece).forEach(function (word) {   // 临时救助，低保: each word, then without a reader's own words
        var said = variants(word), bare = trim(word);   // (能申请低保 → 申请低保), then the names in it
        if (held(said)) {
          out.push(said);
        } else if (bare !== word && held(variants(bare))) {
          out.push(variants(bare));
        } else {
          out = out.concat(segment(bare, bare !== word).map(variants));
        }
      });
    });
    return out;
  }

  /* The hits among `docs`, ordered. `state` (one per query) keeps the pages already scored for the same terms,
     so each redraw while chunks arrive scores only the pages that arrived since: a query that 21,000 pages hold
     redraws some hundred times. */
  function search(query, docs, state) {
    var wanted = terms(query, docs);
    if (!wanted.length) {
      return { terms: [], hits: [] };
    }
    var key = wanted.map(function (said) { return said.join("\u0001"); }).join("\u0000");
    if (state.key !== key) {
      state.key = key;
      state.hits = [];
      state.seen = {};
    }
    docs.forEach(function (doc) {
      if (state.seen[doc.page]) {
        return;
      }
      state.seen[doc.page] = true;
      if (!wanted.every(function (said) { return holds(doc, said); })) {
        return;
      }
      var total = 0;
      wanted.forEach(function (said) {
        total += Math.max.apply(null, said.map(function (t) { return score(doc, t); }));
      });
      state.hits.push({ doc: doc, score: total });
    });
    /* Derived standard units no policy tasks (tier 1: 万州区's 区民政局) after every other page (search.py); the
       page's number last, so equal pages keep the index's order whatever order their chunks arrived in. */
    state.hits.sort(function (a, b) {
      return a.doc.tier - b.doc.tier || b.score - a.score || a.doc.rank - b.doc.rank ||
        (a.doc.path < b.doc.path ? -1 : a.doc.path > b.doc.path ? 1 : 0) || a.doc.page - b.doc.page;
    });
    return { terms: wanted, hits: state.hits };
  }

  /* Up to 90 characters of the page's text around the first term found, the terms marked. */
  function snippet(doc, wanted) {
    var text = doc.text, lower = text.toLowerCase(), at = -1;
    wanted.forEach(function (t) {
      var i = find(lower, t);
      if (i >= 0 && (at < 0 || i < at)) {
        at = i;
      }
    });
    var start = Math.max(0, at - 30), piece = text.slice(start, start + 90);
    var p = document.createElement("p");
    if (start > 0) {
      p.appendChild(document.createTextNode("…"));
    }
    var pieceLower = piece.toLowerCase(), i = 0;
    while (i < piece.length) {
      var next = -1, len = 0;
      wanted.forEach(function (t) {
        var j = pieceLower.indexOf(t, i);
        if (j >= 0 && (next < 0 || j < next)) {
          next = j;
          len = t.length;
        }
      });
      if (next < 0) {
        p.appendChild(document.createTextNode(piece.slice(i)));
        break;
      }
      p.appendChild(document.createTextNode(piece.slice(i, next)));
      var mark = document.createElement("mark");
      mark.textContent = piece.substr(next, len);
      p.appendChild(mark);
      i = next + len;
    }
    if (start + 90 < text.length) {
      p.appendChild(document.createTextNode("…"));
    }
    return p;
  }

  /* A query nothing holds, read as one mistyped character (特困人员共养 for 供养, 临时求助 for 救助): the word that
     differs from it in one character and that the most pages hold, or null. Each position in turn: the pages
     holding what was typed on both sides of it are loaded (gather), and their text searched for the two sides
     with one other character between. Only a query of one piece, 3 to 12 characters long. */
  function correct(query, then, live) {
    var q = normalize(query), counts = {}, at = -1;
    if (/\s/.test(String(query).trim()) || q.length < 3 || q.length > 12) {
      then(null);
      return;
    }
    function escape(text) {
      return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }
    function next() {
      at += 1;
      if (!live()) {
        return;
      }
      if (at >= q.length) {
        var best = null;
        Object.keys(counts).sort().forEach(function (w) {
          if (best === null || counts[w] > counts[best]) {
            best = w;
          }
        });
        then(best);
        return;
      }
      var left = q.slice(0, at), right = q.slice(at + 1);
      if (left.length + right.length < 2 || !INDEXED.test(q.charAt(at))) {
        next();
        return;
      }
      var pattern = new RegExp(escape(left) + "(" + INDEXED.source + ")" + escape(right));
      gather(left + " " + right, function (docs, done) {
        if (!done) {
          return;
        }
        docs.forEach(function (doc) {
          var m = pattern.exec(doc.text_n) || pattern.exec(doc.title_n);
          if (m && m[1] !== q.charAt(at)) {
            var word = left + m[1] + right;
            counts[word] = (counts[word] || 0) + 1;
          }
        });
        next();
      }, live, GUESS_PAGES);
    }
    next();
  }

  function show(query) {
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    var token = ++asking;
    if (!normalize(query)) {
      meta.textContent = "输入单位名称、文号（如 161号）、任务编号或标题，或任意词语";
      return;
    }
    box.removeAttribute("data-luoshi-done");
    var last = 0, state = {}, live = function () { return token === asking; };
    function finished() {
      box.setAttribute("data-luoshi-done", "");
    }
    gather(query, function (docs, done) {
      var now = Date.now();
      if (!done && now - last < 150) {
        return;     // a redraw just made: the next chunk (or the last) redraws
      }
      last = now;
      var found = search(query, docs, state);
      render(query, found, done);
      if (done && found.hits.length) {
        finished();
      } else if (done) {
        correct(query, function (word) {    // nothing found: the results of the word it likely mistypes
          if (!word) {
            shorthand(query, live, finished);
            return;
          }
          var fixed = {};
          gather(word, function (more, complete) {
            render(word, search(word, more, fixed), complete, query);
            if (complete) {
              finished();
            }
          }, live);
        }, live);
      }
    }, live);
  }

  /* 救助帮扶提高 for 提高救助帮扶水平: a run of four or more Chinese characters no page holds and no one-character
     fix explains, read as its two-character words (救助 帮扶 提高), each found on its own; shown only when that
     finds pages, under a line saying so. The question words and a reader's own words are dropped first, and the
     registry's names and the ways of saying a thing (低保, 特困供养) are kept whole: 能申请低保吗 is 申请 低保,
     never 能申 请低 保吗. */
  function shorthand(query, live, finished) {
    var asked = [], parts = [];
    loose(query).split(/\s+/).map(normalize).filter(Boolean).forEach(function (piece) {
      words(piece).forEach(function (word) {
        asked.push(word);
        segment(trim(word), true).forEach(function (part) {
          if (part.length === 1 && part !== word) {
            return;             // 能 of 能申请: a character the names around it left over
          }
          if (prepared.words[part] || prepared.said[part] || !/^[\u4e00-\u9fff]{4,}$/.test(part)) {
            parts.push(part);   // a name or a way of saying a thing stays whole (低保, 特困供养)
            return;
          }
          for (var k = 0; k + 2 <= part.length; k += 2) {
            parts.push(part.length - k === 3 ? part.substr(k) : part.substr(k, 2));
          }
        });
      });
    });
    var split = parts.join(" ");
    if (split === asked.join(" ")) {
      finished();
      return;
    }
    gather(split, function (docs, complete) {
      if (!complete) {
        return;
      }
      var found = search(split, docs, {});
      if (found.hits.length) {
        render(split, found, true, query);
      }
      finished();
    }, live);
  }

  var asking = 0;

  /* The other ways of saying a term that the pages found hold (低保 → 最低生活保障), for the line above the
     results: the reader sees why a page without their word is listed. */
  function alsoSaid(found) {
    var other = [];
    found.terms.forEach(function (said) {
      said.slice(1).forEach(function (t) {
        if (other.indexOf(t) < 0 && found.hits.some(function (hit) { return contains(hit.doc, t); })) {
          other.push(t);
        }
      });
    });
    return other.length ? "（含同义说法“" + other.join("”“") + "”）" : "";
  }

  /* `typed`: what the reader typed, when the results are those of `query`, the word it likely mistypes. */
  function render(query, found, done, typed) {
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    var instead = typed && found.hits.length ? "没有找到“" + typed.trim() + "”，以下是“" + query + "”的结果：" : "";
    meta.textContent = instead + (found.hits.length ? "找到 " + found.hits.length + " 个页面" + alsoSaid(found) +
      (found.hits.length > MAX_SHOWN ? "，显示前 " + MAX_SHOWN + " 个" : "") + (done ? "" : "（继续载入中……）") :
      done ? "没有找到包含“" + query.trim() + "”的页面。可以试试单位名称（民政局）、文号（161号）、任务编号（2.2）或更短的词语" :
      "正在搜索……");
    found.hits.slice(0, MAX_SHOWN).forEach(function (hit) {
      var li = document.createElement("li");
      li.className = "md-search-result__item";
      var a = document.createElement("a");
      a.className = "md-search-result__link";
      a.href = base + hit.doc.path;
      var article = document.createElement("article");
      article.className = "md-search-result__article md-typeset";
      var kind = document.createElement("span");
      kind.className = "luoshi-search-kind";
      kind.textContent = hit.doc.kind;
      var h = document.createElement("h1");
      h.textContent = hit.doc.title;
      article.appendChild(kind);
      article.appendChild(h);
      article.appendChild(snippet(hit.doc, [].concat.apply([], found.terms)));
      a.appendChild(article);
      li.appendChild(a);
      list.appendChild(li);
    });
  }

  function run() {
    var query = input.value;
    load(function () { show(input.value); });
    return query;
  }

  function start() {
    box = document.querySelector("[data-luoshi-search]");
    if (!box) {
      return;
    }
    input = box.querySelector("input.md-search__input");
    list = box.querySelector(".md-search-result__list");
    meta = box.querySelector(".md-search-result__meta");
    base = own();
    var toggle = document.getElementById("__search");
    input.addEventListener("focus", function () {
      if (toggle && !toggle.checked) {
        toggle.checked = true;
      }
      load(function () { show(input.value); });
    });
    input.addEventListener("input", run);
    input.addEventListener("keyup", function (event) {
      if (event.key === "Escape") {
        if (toggle) {
          toggle.checked = false;
        }
        input.blur();
      } else if (event.key !== "Enter") {
        run();
      }
    });
    /* "/" or "s" anywhere but in a text field opens the search, as the theme's own search did. */
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
      if (typing || event.ctrlKey || event.metaKey || event.altKey || (event.key !== "/" && event.key !== "s")) {
        return;
      }
      event.preventDefault();
      if (toggle) {
        toggle.checked = true;
      }
      input.focus();
    });
    /* Arrow keys move between the input and the results; Enter on a result follows it (the link's own). */
    box.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") {
        return;
      }
      var links = Array.prototype.slice.call(list.querySelectorAll("a.md-search-result__link"));
      if (!links.length) {
        return;
      }
      var at = links.indexOf(document.activeElement);
      var next = event.key === "ArrowDown" ? at + 1 : at - 1;
      event.preventDefault();
      if (next < 0) {
        input.focus();
      } else {
        links[Math.min(next, links.length - 1)].focus();
      }
    });
    box.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      var first = list.querySelector("a.md-search-result__link");
      if (first) {
        window.location.href = first.href;
      }
    });
    box.querySelector("form").addEventListener("reset", function () {
      window.setTimeout(function () { show(""); input.focus(); }, 0);
    });
    if (toggle) {
      toggle.addEventListener("change", function () {
        if (toggle.checked) {
          window.setTimeout(function () { input.focus(); }, 50);
        }
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
