/* Draws each statistics chart from its data table (the table stays: it is the accessible version). */
(function () {
  "use strict";
  // Okabe-Ito colours: told apart with the common colour-vision deficiencies.
  var COLOURS = { registered: "#0072B2", attended: "#009E73", absent: "#D55E00", cancelled: "#6c757d" };

  function readTable(table) {
    var series = Array.prototype.map.call(table.querySelectorAll("thead th[data-series]"), function (th) {
      return { key: th.dataset.series, label: th.textContent.trim(), data: [] };
    });
    var labels = [];
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      labels.push(tr.querySelector("th").textContent.trim());
      tr.querySelectorAll("td[data-value]").forEach(function (td, index) {
        series[index].data.push(Number(td.dataset.value));
      });
    });
    return { labels: labels, series: series };
  }

  function draw(section) {
    var table = section.querySelector("table");
    var holder = section.querySelector(".statistics-chart");
    if (!table || !holder || typeof window.Chart === "undefined") {
      return;
    }
    var data = readTable(table);
    var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    holder.hidden = false;
    holder.style.height = Math.max(220, 40 + data.labels.length * 36) + "px";
    new window.Chart(holder.querySelector("canvas"), {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (s) {
          return { label: s.label, data: s.data, backgroundColor: COLOURS[s.key] || "#333333" };
        }),
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        animation: reduceMotion ? false : undefined,
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-statistics-chart]").forEach(draw);
  });
})();
