// A listing's CSV, made in the browser (issue 15): the page declares its rows once (generator/site/listing.py, a
// JSON block named by the button's data-rows-of), and the file is assembled from the CSV of each province the
// rows come from (data/csv/tinh/<province>.csv, or .csv.gz above the size where the task files are compressed,
// written by the generator): each task's line as written there,
// in the page's order, with the listing's `role` and `via_group` as the last two columns. The columns and cells are those of
// data/tasks.csv. Without JavaScript the button downloads the province's whole file (its href), or on a national
// page all tasks (data/tasks.csv; above listing.Downloads' limit, the open-data page's list of the provinces' files).
(function () {
  var files = {};      // url -> promise of {header, byId}

  function records(text) {          // the lines of a CSV, quoted line breaks kept inside their line
    var out = [], start = 0, quoted = false, i;
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    for (i = 0; i < text.length; i++) {
      var ch = text.charAt(i);
      if (ch === "\"") quoted = !quoted;
      else if (ch === "\n" && !quoted) { out.push(text.slice(start, i)); start = i + 1; }
    }
    if (start < text.length) out.push(text.slice(start));
    return out;
  }

  function csvCell(v) {      // group ids: plain words, quoted only if ever needed
    return /[",\n\r]/.test(v) ? "\"" + v.replace(/"/g, "\"\"") + "\"" : v;
  }

  // the bytes of a fetched .gz file, unpacked (DecompressionStream), unless the host already did (a server that
  // sends a .gz file with Content-Encoding: gzip hands over what it holds); the finder's shards too (finder.js)
  function gunzip(buf, url) {
    var head = new Uint8Array(buf, 0, Math.min(2, buf.byteLength));
    if (head[0] !== 0x1f || head[1] !== 0x8b) return Promise.resolve(buf);
    if (!window.DecompressionStream) return Promise.reject(new Error(url + ": trình duyệt không giải nén được tệp .gz"));
    return new Response(new Blob([buf]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
  }

  // a province's CSV: data/csv/tinh/<province>.csv, or, on a site above listing.Downloads' limit, the same file
  // gzip-compressed (.csv.gz)
  function fetchText(url) {
    return fetch(url).then(function (res) {
      if (res.ok) return res.text();
      if (res.status !== 404 || !/\.csv$/.test(url)) throw new Error(url + ": HTTP " + res.status);
      return fetch(url + ".gz").then(function (gz) {
        if (!gz.ok) throw new Error(url + ": HTTP " + res.status);
        return gz.arrayBuffer();
      }).then(function (buf) {
        return gunzip(buf, url + ".gz");
      }).then(function (buf) {
        return new TextDecoder("utf-8").decode(buf);
      });
    });
  }

  function load(url) {
    if (!files[url]) {
      files[url] = fetchText(url).then(function (text) {
        var lines = records(text), byId = {};
        lines.slice(1).forEach(function (r) {
          var id = r.charAt(0) === "\"" ? r.slice(1, r.indexOf("\"", 1)) : r.slice(0, r.indexOf(","));
          if (r.slice(-2) !== ",,") throw new Error(url + ": dòng " + id + " không kết thúc bằng role, via_group trống");
          byId[id] = r.slice(0, -2);        // without its own (empty) role and via_group
        });
        return { header: lines[0], byId: byId };
      });
    }
    return files[url];
  }

  // the declaration of a page's rows: its own JSON block, or, on a national page, its parts' blocks (each read
  // from its page), in order
  function declarations(a, root) {
    var d = JSON.parse(document.getElementById(a.getAttribute("data-rows-of")).textContent);
    if (!d.parts) return Promise.resolve([d]);
    return Promise.all(d.parts.map(function (url) {
      return fetch(root + url).then(function (res) {
        if (!res.ok) throw new Error(url + ": HTTP " + res.status);
        return res.text();
      }).then(function (html) {
        var block = new DOMParser().parseFromString(html, "text/html").getElementById("csv-rows");
        if (!block) throw new Error(url + ": không có danh sách dòng");
        return JSON.parse(block.textContent);
      });
    }));
  }

  function lines(d, root) {
    var urls = d.provinces.map(function (p) { return root + "data/csv/tinh/" + encodeURIComponent(p) + ".csv"; });
    return Promise.all(urls.map(load)).then(function (got) {
      return { header: got.length ? got[0].header : null, lines: d.rows.map(function (r) {
        var plan = d.plans[r[0]], id = plan[1] + "/" + r[1];
        var line = got[plan[0]].byId[id];
        if (line === undefined) throw new Error("không tìm thấy dòng " + id);
        return line + "," + (r.length > 2 ? d.roles[r[2]] : "") + "," + (r.length > 3 ? csvCell(d.via[r[3]]) : "");
      }) };
    });
  }

  function build(a) {
    // the site root, relative to this page (a national page's button, above the size where data/tasks.csv is
    // written, links the open-data page's list of the provinces' files: it names the root in data-root)
    var root = a.hasAttribute("data-root") ? a.getAttribute("data-root") : a.getAttribute("href").replace(/data\/.*$/, "");
    return declarations(a, root).then(function (ds) {
      return Promise.all(ds.map(function (d) { return lines(d, root); }));
    }).then(function (parts) {
      var header = null, out = [];
      parts.forEach(function (p) { header = header || p.header; out = out.concat(p.lines); });
      if (out.length !== Number(a.getAttribute("data-rows"))) throw new Error("số dòng không khớp");
      return "\ufeff" + [header].concat(out).join("\n") + "\n";
    });
  }

  function save(text, name) {        // hand the text to the reader as a downloaded file
    var blob = new Blob([text], { type: "text/csv;charset=utf-8" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
  }

  // the finder's download (finder.js) reads the same provinces' files the same way
  window.PortalCsv = { load: load, save: save, gunzip: gunzip };

  document.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("a.listing-csv") : null;
    if (!a || !window.fetch || !window.Blob) return;     // the province's file, as a plain link
    e.preventDefault();
    if (a.getAttribute("aria-busy") === "true") return;
    a.setAttribute("aria-busy", "true");
    var label = a.textContent;
    a.textContent = "Đang chuẩn bị tệp…";
    build(a).then(function (text) { save(text, a.getAttribute("data-name")); }).catch(function (err) {
      var note = a.parentNode.querySelector(".csv-error") || document.createElement("small");
      note.className = "csv-error";
      note.textContent = " Không tạo được tệp CSV: " + err.message;
      a.parentNode.appendChild(note);
    }).then(function () { a.textContent = label; a.removeAttribute("aria-busy"); });
  });
})();
