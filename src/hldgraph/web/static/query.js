// The query page with YASGUI: where this script does not run, the plain form still works.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("hldgraph-config").textContent);
  const labels = config.labels || {};
  if (typeof Yasgui === "undefined") return;
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
