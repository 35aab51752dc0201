/* xpcli site: no framework. Situations (情形) narrow an event's checklist; the search page asks
   pagefind. Without JavaScript every page still shows its full content. */
(function () {
  "use strict";
  var root = document.documentElement.getAttribute("data-root") || "./";
  document.querySelectorAll("[data-js-only]").forEach(function (el) { el.hidden = false; });

  // ---- an event: ticking the situations that apply shows their materials, and only those
  var boxes = Array.prototype.slice.call(document.querySelectorAll(".situations input[type=checkbox]"));
  var rows = Array.prototype.slice.call(document.querySelectorAll(".checklist li[data-situations]"));
  var count = document.getElementById("count");
  var chosen = document.getElementById("chosen");
  function narrow() {
    var on = {};
    var names = [];
    boxes.forEach(function (box) {
      if (box.checked) {
        on[box.value] = true;
        names.push(box.labels[0].textContent);
      }
    });
    rows.forEach(function (row) {
      row.hidden = !row.getAttribute("data-situations").split(" ").some(function (n) { return on[n]; });
    });
    var shown = document.querySelectorAll(".checklist > li:not([hidden])").length;
    if (count) count.textContent = "您需要准备 " + shown + " 份材料";
    if (chosen) chosen.textContent = "适用情形：" + (names.length ? names.join("；") : "无");
  }
  if (boxes.length) {
    boxes.forEach(function (box) { box.addEventListener("change", narrow); });
    narrow();
  }
  var print = document.getElementById("print");
  if (print) print.addEventListener("click", function () { window.print(); });

  // ---- the search page
  var form = document.getElementById("search-form");
  if (!form) return;
  var input = form.querySelector("input");
  var list = document.getElementById("results");
  var status = document.getElementById("search-status");
  var engine = null;
  function text(html) {
    return new DOMParser().parseFromString(html, "text/html").body.textContent || "";
  }
  function link(url) {
    return new URL(root + url.replace(/^\//, ""), location.href).href;
  }
  async function run(query) {
    list.replaceChildren();
    if (!query) { status.textContent = ""; return; }
    status.textContent = "正在搜索……";
    try {
      if (!engine) {
        engine = await import(new URL(root + "pagefind/pagefind.js", location.href).href);
        await engine.options({ baseUrl: "/" });
      }
      var found = await engine.search(query);
      var data = await Promise.all(found.results.slice(0, 50).map(function (r) { return r.data(); }));
      data.forEach(function (d) {
        var item = document.createElement("li");
        var a = document.createElement("a");
        a.href = link(d.url);
        a.textContent = d.meta.title || d.url;
        var p = document.createElement("p");
        p.className = "note";
        p.textContent = text(d.excerpt);
        item.append(a, p);
        list.append(item);
      });
      status.textContent = data.length ? "找到 " + found.results.length + " 条结果" : "没有找到结果，请换个词试试";
    } catch (e) {
      status.textContent = "搜索暂不可用，请从首页或部门目录查找";
    }
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = input.value.trim();
    history.replaceState(null, "", query ? "?q=" + encodeURIComponent(query) : "./");
    run(query);
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) {
    input.value = initial;
    run(initial.trim());
  }
})();
