/* Small enhancements on top of pages that work without JavaScript:
   the language menu switches on change, the search box suggests firms and
   codes, and code fields become pickers that search the HS and NAICS lists. */
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";

  function debounce(fn, ms) {
    var timer;
    return function () {
      var args = arguments, self = this;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(self, args); }, ms);
    };
  }

  function getJSON(url) {
    return fetch(url, { headers: { "Accept": "application/json", "Accept-Language": lang } })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .catch(function () { return { results: [] }; });
  }

  /* A listbox under an input, driven by the keyboard (arrows, Enter, Escape). */
  function combobox(input, fetchItems, choose) {
    var list = document.createElement("ul");
    var id = input.id + "-listbox";
    var items = [], active = -1;
    list.id = id;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.parentNode.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-controls", id);
    input.setAttribute("aria-expanded", "false");

    function close() {
      list.hidden = true; active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function highlight(index) {
      active = index;
      Array.prototype.forEach.call(list.children, function (li, i) {
        li.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0) input.setAttribute("aria-activedescendant", id + "-" + index);
    }
    function render(found) {
      items = found; list.innerHTML = "";
      found.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = id + "-" + i;
        li.setAttribute("role", "option");
        var kind = document.createElement("span");
        kind.className = "kind"; kind.textContent = item.kindLabel;
        li.appendChild(kind);
        li.appendChild(document.createTextNode(item.label));
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(item); close(); });
        list.appendChild(li);
      });
      list.hidden = !found.length;
      input.setAttribute("aria-expanded", found.length ? "true" : "false");
    }
    input.addEventListener("input", debounce(function () {
      var text = input.value.trim();
      if (text.length < 2) { close(); return; }
      fetchItems(text).then(render);
    }, 200));
    input.addEventListener("keydown", function (e) {
      if (list.hidden) return;
      if (e.key === "ArrowDown") { e.preventDefault(); highlight(Math.min(active + 1, items.length - 1)); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); choose(items[active]); close(); }
      else if (e.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  function directoryUrl() {
    var form = document.querySelector("form[role=search]");
    return form ? form.getAttribute("action") : "/" + lang + "/directory/";
  }

  /* The search box: firms by name, HS and NAICS entries by words. */
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    combobox(input, function (text) {
      return getJSON(input.dataset.suggest + "?q=" + encodeURIComponent(text)).then(function (data) {
        return data.results.map(function (r) {
          return { raw: r, kindLabel: r.kind === "business" ? "●" : r.kind.toUpperCase() + " " + r.code,
                   // The everyday name in the reader's language first, the official title after.
                   label: r.name && r.name !== r.title ? r.name + " — " + r.title : r.title };
        });
      });
    }, function (item) {
      var r = item.raw;
      var base = directoryUrl();
      if (r.kind === "business") {
        window.location.href = base.replace(/directory\/$/, "b/" + encodeURIComponent(r.slug) + "/");
      } else {
        window.location.href = base + "?" + (r.kind === "hs" ? "offers" : "naics") + "=" + encodeURIComponent(r.code);
      }
    });
  });

  /* Code fields: chips for the chosen codes, a search box to add more. The
     original input keeps the comma-separated codes the server reads. */
  document.querySelectorAll("input[data-picker]").forEach(function (input, n) {
    var scheme = input.dataset.picker;
    var chips = document.createElement("ul");
    chips.className = "chips";
    chips.setAttribute("aria-label", input.labels && input.labels[0] ? input.labels[0].textContent : scheme);
    var finder = document.createElement("input");
    finder.type = "text";
    finder.id = input.id + "-finder";
    finder.setAttribute("autocomplete", "off");
    finder.setAttribute("aria-describedby", input.id + "-help");
    finder.setAttribute("data-picker-for", input.name);
    input.type = "hidden";
    if (input.labels && input.labels[0]) input.labels[0].htmlFor = finder.id;
    input.parentNode.insertBefore(chips, input);
    input.parentNode.insertBefore(finder, input);

    function codes() {
      return input.value.split(/[,;\s]+/).filter(Boolean);
    }
    function draw() {
      chips.innerHTML = "";
      codes().forEach(function (code) {
        var li = document.createElement("li");
        li.textContent = code + " ";
        var remove = document.createElement("button");
        remove.type = "button";
        remove.textContent = "×";
        remove.setAttribute("aria-label", "× " + code);
        remove.addEventListener("click", function () {
          input.value = codes().filter(function (c) { return c !== code; }).join(", ");
          draw(); finder.focus();
        });
        li.appendChild(remove);
        chips.appendChild(li);
      });
    }
    combobox(finder, function (text) {
      return getJSON("/api/v1/taxonomy/" + scheme + "/?q=" + encodeURIComponent(text) + "&page_size=12")
        .then(function (data) {
          return data.results.map(function (r) { return { raw: r, kindLabel: r.code, label: r.title }; });
        });
    }, function (item) {
      var list = codes();
      if (list.indexOf(item.raw.code) < 0) list.push(item.raw.code);
      input.value = list.join(", ");
      finder.value = "";
      draw();
    });
    draw();
  });

  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
