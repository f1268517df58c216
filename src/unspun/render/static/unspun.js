/* unspun: the article view's behaviour. The text is in the page once, exactly as stored;
   this draws each visible span as one element over it (a tint per line box and a bar in its
   own lane under the text), so overlapping, nested and crossing spans all stay whole. No
   article string ever reaches innerHTML: details are built with textContent. */
(function () {
  "use strict";

  var views = [];
  var active = null;

  function View(root) {
    this.root = root;
    this.box = root.querySelector(".uv-textbox");
    this.text = root.querySelector(".uv-text");
    this.overlay = root.querySelector(".uv-overlay");
    this.controls = root.querySelector(".uv-controls");
    this.detail = root.querySelector(".uv-detail");
    this.slider = root.querySelector(".uv-min");
    this.sliderOut = root.querySelector(".uv-min-out");
    this.min = 0;
    this.on = {};
    this.current = null;
    this.visible = [];
    this.byId = {};
    var self = this;
    this.spans = Array.prototype.map.call(root.querySelectorAll(".uv-item"), function (li) {
      var s = {
        id: li.getAttribute("data-span"),
        start: +li.getAttribute("data-start"),
        end: +li.getAttribute("data-end"),
        layer: li.getAttribute("data-layer"),
        score: +li.getAttribute("data-score"),
        li: li,
        el: null,
        lane: 0
      };
      self.byId[s.id] = s;
      return s;
    });
    this.pieces = Array.prototype.map.call(this.text.querySelectorAll(".uv-piece"), function (p) {
      return { o: +p.getAttribute("data-o"), el: p };
    });
    this.boxes = Array.prototype.slice.call(this.controls.querySelectorAll("input[data-layer]"));
    this.boxes.forEach(function (cb) { self.on[cb.getAttribute("data-layer")] = cb.checked; });
    this.bind();
    this.controls.hidden = false;
    this.detail.hidden = false;
    this.detail.textContent = "Click a highlight, or press j and k, to see what it is.";
    this.box.tabIndex = 0;
    root.classList.add("uv-ready");
    this.draw();
  }

  /* The text node and offset in it for a character offset of the article. */
  View.prototype.point = function (offset) {
    var lo = 0, hi = this.pieces.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (this.pieces[mid].o <= offset) lo = mid; else hi = mid - 1;
    }
    var piece = this.pieces[lo];
    var node = piece.el.firstChild;
    if (!node) return { node: piece.el, offset: 0 };
    return { node: node, offset: Math.max(0, Math.min(offset - piece.o, node.length)) };
  };

  View.prototype.offsetOf = function (node, offset) {
    var el = node.nodeType === 3 ? node.parentNode : node;
    if (!el || !el.classList || !el.classList.contains("uv-piece")) return -1;
    return +el.getAttribute("data-o") + offset;
  };

  View.prototype.shows = function (s) {
    return this.on[s.layer] && s.score >= this.min - 1e-9;
  };

  View.prototype.draw = function () {
    var self = this;
    var vis = this.spans.filter(function (s) { return self.shows(s); });
    this.visible = vis;
    // Lanes: first fit in text order (the spans come sorted by start, longest first), which
    // is the fewest lanes any drawing of these intervals can have.
    var ends = [];
    vis.forEach(function (s) {
      var lane = 0;
      while (lane < ends.length && ends[lane] > s.start) lane++;
      ends[lane] = s.end;
      s.lane = lane;
    });
    // On the text alone: set on the root, the inherited property would restyle the whole view.
    this.text.style.setProperty("--uv-lanes", String(Math.max(1, ends.length)));
    var counts = {};
    this.spans.forEach(function (s) {
      var shown = self.shows(s);
      if (s.li.hidden === shown) s.li.hidden = !shown;
      if (s.score >= self.min - 1e-9) counts[s.layer] = (counts[s.layer] || 0) + 1;
      if (!shown) s.el = null;
    });
    this.root.querySelectorAll(".uv-count").forEach(function (c) {
      c.textContent = String(counts[c.getAttribute("data-count")] || 0);
    });
    this.layout();
    if (this.current && !this.shows(this.current)) this.select(null);
  };

  /* Measure every visible span first, then build its element: one reflow for the lot. */
  View.prototype.layout = function () {
    var self = this;
    var base = this.box.getBoundingClientRect();
    var left0 = base.left + this.box.clientLeft, top0 = base.top + this.box.clientTop;
    var range = document.createRange();
    var pitch = parseFloat(getComputedStyle(this.text).getPropertyValue("--uv-pitch")) || 5;
    var frag = document.createDocumentFragment();
    var measured = this.visible.map(function (s) {
      var a = self.point(s.start), b = self.point(s.end);
      range.setStart(a.node, a.offset);
      range.setEnd(b.node, b.offset);
      var seen = {}, rects = [];
      Array.prototype.forEach.call(range.getClientRects(), function (r) {
        if (r.width < 0.5 && rects.length) return;
        var key = Math.round(r.left) + ":" + Math.round(r.top) + ":" + Math.round(r.width);
        if (seen[key]) return;
        seen[key] = true;
        rects.push(r);
      });
      return rects;
    });
    this.visible.forEach(function (s, i) {
      var el = document.createElement("div");
      el.className = "uv-mark uv-l-" + s.layer;
      el.setAttribute("data-span", s.id);
      el.setAttribute("data-lane", String(s.lane));
      measured[i].forEach(function (r) {
        var seg = document.createElement("div");
        seg.className = "uv-seg";
        place(seg, r.left - left0, r.top - top0, r.width, r.height);
        var bar = document.createElement("div");
        bar.className = "uv-bar";
        place(bar, r.left - left0, r.bottom - top0 + 2 + s.lane * pitch, r.width, null);
        el.appendChild(seg);
        el.appendChild(bar);
      });
      if (s === self.current) el.classList.add("uv-current");
      s.el = el;
      frag.appendChild(el);
    });
    this.overlay.textContent = "";
    this.overlay.appendChild(frag);
  };

  function place(el, x, y, w, h) {
    el.style.left = x + "px";
    el.style.top = y + "px";
    el.style.width = Math.max(w, 2) + "px";
    if (h !== null) el.style.height = h + "px";
  }

  View.prototype.select = function (s, how) {
    if (this.current) {
      if (this.current.el) this.current.el.classList.remove("uv-current");
      this.current.li.removeAttribute("aria-current");
    }
    this.current = s;
    active = this;
    if (!s) {
      this.detail.textContent = "Click a highlight, or press j and k, to see what it is.";
      return;
    }
    if (s.el) s.el.classList.add("uv-current");
    s.li.setAttribute("aria-current", "true");
    this.describe(s);
    if (how === "list") {
      s.li.querySelector(".uv-go").focus({ preventScroll: false });
    } else if (how === "text" && s.el && s.el.firstChild) {
      s.el.firstChild.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
  };

  View.prototype.describe = function (s) {
    var li = s.li, d = this.detail;
    function part(cls, text) {
      var e = document.createElement("span");
      e.className = cls;
      e.textContent = text;
      return e;
    }
    function field(sel) {
      var e = li.querySelector(sel);
      return e ? e.textContent : "";
    }
    d.textContent = "";
    var name = document.createElement("b");
    name.textContent = field(".uv-n");
    d.appendChild(name);
    d.appendChild(part("uv-c", " · " + field(".uv-c")));
    d.appendChild(part("uv-sc", " · score " + s.score.toFixed(2)));
    d.appendChild(part("uv-a", " · " + field(".uv-a")));
    var def = field(".uv-d");
    if (def) d.appendChild(part("uv-d", def));
    d.appendChild(part("uv-d", "“" + field("q") + "”"));
  };

  View.prototype.step = function (dir) {
    var vis = this.visible;
    if (!vis.length) return;
    var i = this.current ? vis.indexOf(this.current) : -1;
    if (i < 0) {
      i = dir > 0 ? 0 : vis.length - 1;
    } else {
      i = Math.min(vis.length - 1, Math.max(0, i + dir));
    }
    var inList = this.root.querySelector(".uv-list") &&
      this.root.querySelector(".uv-list").contains(document.activeElement);
    this.select(vis[i], inList ? "list" : "text");
  };

  /* The shortest visible span under a character; clicking again steps to the next longer. */
  View.prototype.pick = function (offset) {
    var under = this.visible.filter(function (s) { return s.start <= offset && offset < s.end; });
    if (!under.length) return null;
    under.sort(function (a, b) { return (a.end - a.start) - (b.end - b.start); });
    var i = under.indexOf(this.current);
    return under[(i + 1) % under.length];
  };

  View.prototype.show = function (s) {
    if (!this.on[s.layer]) {
      this.on[s.layer] = true;
      this.boxes.forEach(function (cb) { if (cb.getAttribute("data-layer") === s.layer) cb.checked = true; });
    }
    if (s.score < this.min) {
      this.min = 0;
      this.slider.value = "0";
      this.sliderOut.textContent = "0.00";
    }
    this.draw();
  };

  View.prototype.bind = function () {
    var self = this;
    this.boxes.forEach(function (cb) {
      cb.addEventListener("change", function () {
        self.on[cb.getAttribute("data-layer")] = cb.checked;
        self.draw();
      });
    });
    this.slider.addEventListener("input", function () {
      self.min = +self.slider.value;
      self.sliderOut.textContent = self.min.toFixed(2);
      self.draw();
    });
    this.text.addEventListener("click", function (e) {
      var pos = caretAt(e.clientX, e.clientY);
      if (!pos) return;
      var offset = self.offsetOf(pos.node, pos.offset);
      var s = offset < 0 ? null : self.pick(offset);
      if (s) self.select(s);
    });
    this.root.addEventListener("click", function (e) {
      var t = e.target.closest ? e.target.closest(".uv-go, .uv-ev") : null;
      if (!t || !self.root.contains(t)) return;
      var s = t.classList.contains("uv-go") ? self.byId[t.parentNode.getAttribute("data-span")]
        : self.byId[t.getAttribute("data-span")];
      if (!s) return;
      if (t.classList.contains("uv-ev")) {
        e.preventDefault();
        if (!self.shows(s)) self.show(s);
        self.select(s, "text");
      } else {
        self.select(s);
      }
    });
    this.root.addEventListener("focusin", function (e) {
      active = self;
      var t = e.target;
      if (t.classList && t.classList.contains("uv-go")) {
        var s = self.byId[t.parentNode.getAttribute("data-span")];
        if (s && s !== self.current) self.select(s);
      }
    });
  };

  function caretAt(x, y) {
    if (document.caretPositionFromPoint) {
      var p = document.caretPositionFromPoint(x, y);
      return p ? { node: p.offsetNode, offset: p.offset } : null;
    }
    if (document.caretRangeFromPoint) {
      var r = document.caretRangeFromPoint(x, y);
      return r ? { node: r.startContainer, offset: r.startOffset } : null;
    }
    return null;
  }

  function typing(el) {
    if (!el) return false;
    if (el.isContentEditable) return true;
    var tag = el.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    return tag === "INPUT" && !/^(range|checkbox|radio|button|submit)$/.test(el.type);
  }

  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    if (e.key !== "j" && e.key !== "k") return;
    var view = null;
    for (var i = 0; i < views.length; i++) {
      if (views[i].root.contains(document.activeElement)) view = views[i];
    }
    view = view || active || views[0];
    if (!view) return;
    e.preventDefault();
    view.step(e.key === "j" ? 1 : -1);
  });

  var pending = false;
  window.addEventListener("resize", function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () {
      pending = false;
      views.forEach(function (v) { v.layout(); });
    });
  });

  function start() {
    document.querySelectorAll(".uv").forEach(function (root) { views.push(new View(root)); });
    document.documentElement.setAttribute("data-uv-ready", String(views.length));
    // benchmarks/article_view_speed.py reads this: the moment the view answers input.
    if (window.performance && performance.mark) performance.mark("unspun-ready");
    // Fonts that arrive late move the text; draw again once they are in.
    if (document.fonts && document.fonts.ready) {
      document.fonts.ready.then(function () { views.forEach(function (v) { v.layout(); }); });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
