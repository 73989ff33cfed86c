// The query page with YASGUI: where this script does not run, the plain form still works.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("hldgraph-config").textContent);
  if (typeof Yasgui === "undefined") return;
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    persistenceId: null,
    yasqe: { value: config.query },
  });
  const tab = yasgui.getTab();
  const prefixes = config.prefixes;
  tab.getYasqe().addPrefixes(prefixes);
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
})();
