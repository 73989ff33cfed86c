// The query page with YASGUI: where this script does not run, the plain form still works.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("hldgraph-config").textContent);
  const labels = config.labels || {};
  if (typeof Yasgui === "undefined") return;
  localCompletion(Yasgui.Yasqe);
  const root = document.getElementById("yasgui");
  const yasgui = new Yasgui(root, {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    persistenceId: null,
    // The example opens as written (its title comment first): each example declares its own
    // prefixes, so none are added above it. contenteditable puts the editor's input inside its
    // scrolling region, where keyboard users reach it (axe: scrollable-region-focusable).
    yasqe: { value: config.query, inputStyle: "contenteditable" },
  });
  accessible(root);
  yasgui.on("tabAdd", () => setTimeout(() => accessible(root)));
  yasgui.on("tabChange", () => setTimeout(() => accessible(root)));
  yasgui.on("queryResponse", () => setTimeout(() => accessible(root)));
  document.getElementById("plain-form").hidden = true;
  // Example links load the query into the editor and run it, instead of leaving the page.
  for (const link of document.querySelectorAll("#examples a[data-example]")) {
    link.addEventListener("click", (event) => {
      const example = config.examples.find((e) => e.name === link.dataset.example);
      if (!example) return;
      event.preventDefault();
      const yasqe = yasgui.getTab().getYasqe();
      yasqe.setValue(example.query);
      yasqe.query();
    });
  }
  window.hldgraphYasgui = yasgui;
  labelIris(root);

  // Completion from this server only: YASGUI's own completers ask prefix.cc and Linked Open
  // Vocabularies; these ask the dataset's vocabulary (the classes, properties and prefixes the
  // data uses) and its search (things by label, typed after "<").
  function localCompletion(Yasqe) {
    let vocabulary = null;
    const vocab = () => vocabulary || (vocabulary = fetch(config.vocabulary)
      .then((r) => r.json()).catch(() => ({ prefixes: {}, classes: [], properties: [] })));
    const terms = (key) => (yasqe, token) => vocab().then((v) => {
      const typed = (token.autocompletionString || "").toLowerCase();
      return v[key].filter((t) => t.iri.toLowerCase().startsWith(typed)
        || (t.label && t.label.toLowerCase().startsWith(typed))).map((t) => t.iri);
    });
    const names = new Map();
    const named = (yasqe, hints) => hints.map((h) => {
      const name = names.get(h.text.replace(/^<|>$/g, ""));
      return name ? { ...h, displayText: `${name} · ${h.text}` } : h;
    });
    Yasqe.Autocompleters.class = { ...Yasqe.Autocompleters.class, get: terms("classes") };
    Yasqe.Autocompleters.property = { ...Yasqe.Autocompleters.property,
                                      get: terms("properties") };
    Yasqe.Autocompleters.prefixes = { ...Yasqe.Autocompleters.prefixes, persistenceId: null,
      get: () => vocab().then((v) => Object.entries(v.prefixes)
        .map(([p, ns]) => `${p}: <${ns}>`).sort()) };
    Yasqe.registerAutocompleter({
      name: "entities", bulk: false, autoShow: true, persistenceId: null,
      isValidCompletionPosition: (yasqe) => /^<[^<>:/]{2,}$/.test(yasqe.getCompleteToken().string),
      get: (yasqe, token) => fetch(`${config.search}?typing=1&limit=15&q=`
          + encodeURIComponent(token.string.slice(1)))
        .then((r) => r.json()).then((d) => d.results.map((r) => {
          names.set(r.id, r.name);
          return `<${r.id}>`;
        })).catch(() => []),
      postprocessHints: named,
    });
    Yasqe.defaults.autocompleters = ["variables", "prefixes", "property", "class", "entities"];
  }

  // The label of every IRI of an answer, shown when it is hovered (its title).
  function labelIris(container) {
    const asked = new Set();
    const label = () => {
      const links = [...container.querySelectorAll(".yasr a.iri[href]:not([title])")]
        .filter((a) => !asked.has(a.getAttribute("href")));
      const iris = [...new Set(links.map((a) => a.getAttribute("href")))].slice(0, config.labelsMax);
      if (!iris.length) return;
      iris.forEach((i) => asked.add(i));
      const query = new URLSearchParams(iris.map((i) => ["iri", i]));
      fetch(`${config.labelsUrl}?${query}`).then((r) => r.json()).then((found) => {
        for (const a of container.querySelectorAll(".yasr a.iri[href]:not([title])")) {
          const name = found[a.getAttribute("href")];
          if (name) a.title = name;
        }
      }).catch(() => {});
    };
    new MutationObserver(() => setTimeout(label, 50))
      .observe(container, { childList: true, subtree: true });
  }

  // Names for YASGUI's unlabelled fields, and a tab list that holds only tabs (WCAG 4.1.2).
  function accessible(container) {
    const name = (selector, label) => {
      for (const el of container.querySelectorAll(selector)) el.setAttribute("aria-label", label);
    };
    name("input.autocomplete", labels.endpoint || "SPARQL endpoint");
    name(".CodeMirror textarea, .CodeMirror-code[contenteditable]", labels.query || "SPARQL query");
    name(".tab input[type=text]", labels.tab || "Tab name");
    name(".tabMenu select", labels.accept || "Accept");
    name("select.tableSizer", labels.rows || "Rows per page");
    const list = container.querySelector(".tabsList");
    const add = list && list.querySelector(".addTab");
    if (add) {
      let bar = container.querySelector(".hldgraph-tabbar");
      if (!bar) {
        bar = document.createElement("div");
        bar.className = "hldgraph-tabbar";
        list.before(bar);
        bar.append(list);
      }
      bar.append(add);
    }
  }
})();
