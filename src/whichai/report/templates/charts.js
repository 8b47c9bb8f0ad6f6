(function () {
  function draw() {
    if (typeof Plotly === "undefined") return;
    var specs = document.querySelectorAll('script[type="application/json"][data-chart-for]');
    for (var i = 0; i < specs.length; i++) {
      var el = document.getElementById(specs[i].getAttribute("data-chart-for"));
      if (!el || el.getAttribute("data-drawn")) continue;
      var spec = JSON.parse(specs[i].textContent);
      Plotly.newPlot(el, spec.data, spec.layout, {
        displaylogo: false, responsive: true,
        modeBarButtonsToRemove: ["lasso2d", "select2d", "autoScale2d"]
      });
      el.setAttribute("data-drawn", "1");
    }
  }
  function filter() {
    var box = document.getElementById("only-disagree");
    if (!box) return;
    box.addEventListener("change", function () {
      var rows = document.querySelectorAll("table.cases tbody tr");
      for (var i = 0; i < rows.length; i++) {
        rows[i].classList.toggle("hidden", box.checked && rows[i].getAttribute("data-disagree") !== "1");
      }
    });
  }
  function start() { draw(); filter(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
