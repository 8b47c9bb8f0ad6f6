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
  function autosubmit() {
    // a select marked data-autosubmit (the profile form's "start from") submits its form at once,
    // without the other fields, so the chosen profile is shown as it is
    var boxes = document.querySelectorAll("select[data-autosubmit]");
    for (var i = 0; i < boxes.length; i++) {
      boxes[i].addEventListener("change", function () {
        var fields = this.form.querySelectorAll("[data-field]");
        for (var j = 0; j < fields.length; j++) fields[j].disabled = true;
        this.form.submit();
      });
    }
  }
  function start() { draw(); filter(); autosubmit(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
