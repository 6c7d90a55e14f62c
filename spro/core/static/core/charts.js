/* The web renderer of spro/core/charts.py: draws with Chart.js (vendored) each chart whose spec the page passes as
   JSON (`json_script`), into a canvas this script adds. Without JavaScript, or if Chart.js is missing, nothing is
   added: the table beside each chart, always in the page, is the chart's alternative.

   Markup: <div class="chart-web" data-chart-spec="ID of the JSON script" data-chart-described-by="ID of the text
   that describes it, kept `hidden` until the chart is drawn"></div>. The canvas gets role="img", the chart's title as its name and that text as its
   description. Series are told apart by a pattern and a border as well as by colour (solid / hatched), and the
   legend names them. */
(function () {
  "use strict";
  var PRIMARY = "#000091"; // 11.1:1 on white
  var TEXT = "#161616";
  var GRID = "#dddddd";

  function hatched() {
    var tile = document.createElement("canvas");
    tile.width = 8;
    tile.height = 8;
    var ctx = tile.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, 8, 8);
    ctx.strokeStyle = PRIMARY;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(0, 8);
    ctx.lineTo(8, 0);
    ctx.moveTo(-2, 2);
    ctx.lineTo(2, -2);
    ctx.moveTo(6, 10);
    ctx.lineTo(10, 6);
    ctx.stroke();
    return ctx.createPattern(tile, "repeat");
  }

  function draw(holder) {
    var source = document.getElementById(holder.getAttribute("data-chart-spec"));
    if (!source) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", spec.title);
    var described = holder.getAttribute("data-chart-described-by");
    if (described) {
      canvas.setAttribute("aria-describedby", described);
      var description = document.getElementById(described);
      if (description) {
        description.hidden = false; // it speaks of the bars: shown only once they are drawn
      }
    }
    canvas.textContent = spec.title;
    holder.appendChild(canvas);
    var fills = [PRIMARY, hatched()];
    var datasets = spec.series.map(function (series, index) {
      return {
        label: series.name,
        data: series.values,
        shown: series.shown,
        backgroundColor: fills[index % fills.length],
        borderColor: PRIMARY,
        borderWidth: index === 0 ? 0 : 2
      };
    });
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: spec.categories, datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        color: TEXT,
        scales: {
          x: { ticks: { color: TEXT }, grid: { color: GRID } },
          y: { beginAtZero: true, ticks: { color: TEXT, precision: 0 }, grid: { color: GRID } }
        },
        plugins: {
          legend: { position: "bottom", labels: { color: TEXT } },
          tooltip: {
            callbacks: {
              label: function (item) {
                return item.dataset.label + " : " + item.dataset.shown[item.dataIndex];
              }
            }
          }
        }
      }
    });
    holder.setAttribute("data-chart-drawn", "true");
  }

  function start() {
    if (typeof window.Chart === "undefined") {
      return;
    }
    var holders = document.querySelectorAll("[data-chart-spec]");
    for (var i = 0; i < holders.length; i += 1) {
      draw(holders[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
