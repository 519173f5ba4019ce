// luoshi dashboard: draws the charts. Everything else works without JavaScript.
// Chart data sits in each canvas's data-chart attribute (JSON written by the server), so
// no inline script is needed and the Content-Security-Policy can forbid them.
(function () {
  "use strict";

  var PALETTE = ["#2f6f8f", "#c8553d", "#588b52", "#d9a441", "#7b5ea7", "#3a9d9b", "#b56576", "#6d6875"];

  function drawChart(canvas) {
    var spec;
    try {
      spec = JSON.parse(canvas.getAttribute("data-chart"));
    } catch (e) {
      return;
    }
    var box = canvas.parentElement;
    var height = parseInt(box.getAttribute("data-height"), 10);
    if (height > 0) {
      box.style.height = Math.min(height, 900) + "px";
    }
    var doughnut = spec.type === "doughnut";
    var horizontal = spec.type === "bar" && (spec.labels.length > 8 || !!spec.datasets);
    var datasets = spec.datasets
      ? spec.datasets.map(function (d, i) {
          return { label: d.label, data: d.values, backgroundColor: PALETTE[i % PALETTE.length], borderWidth: 0 };
        })
      : [{
          label: spec.label,
          data: spec.values,
          backgroundColor: doughnut ? PALETTE : PALETTE[0],
          borderWidth: doughnut ? 1 : 0
        }];
    new window.Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: datasets
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: horizontal ? "y" : "x",
        plugins: { legend: { display: doughnut || datasets.length > 1, position: doughnut ? "right" : "top" } },
        scales: doughnut ? {} : {
          x: { beginAtZero: true, ticks: { autoSkip: !horizontal, precision: 0 } },
          y: { beginAtZero: true, ticks: { autoSkip: horizontal ? false : true, precision: 0 } }
        }
      }
    });
  }

  function start() {
    if (!window.Chart) {
      return; // the tables beside each chart carry the same numbers
    }
    var font = window.getComputedStyle(document.body).fontFamily;
    window.Chart.defaults.font.family = font;
    document.querySelectorAll("canvas[data-chart]").forEach(drawChart);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
