// Dashboard charts: Chart.js (served by this service from node_modules) draws every
// <canvas data-chart="{labels, series, stacked, horizontal}">. Loaded as a file (CSP).
(function () {
  'use strict';
  var COLOURS = ['#1f6feb', '#d97706', '#059669', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#92400e', '#475569', '#0d9488', '#9333ea'];
  function draw(canvas) {
    var spec;
    try {
      spec = JSON.parse(canvas.getAttribute('data-chart') || '{}');
    } catch (err) {
      console.error('chart data unreadable', err);
      return;
    }
    var datasets = (spec.series || []).map(function (s, i) {
      return { label: s.label, data: s.data, backgroundColor: COLOURS[i % COLOURS.length] };
    });
    var axis = { stacked: !!spec.stacked, beginAtZero: true, ticks: { precision: 0 } };
    new window.Chart(canvas, {
      type: 'bar',
      data: { labels: spec.labels || [], datasets: datasets },
      options: {
        indexAxis: spec.horizontal ? 'y' : 'x',
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: { x: axis, y: axis },
        plugins: { legend: { display: datasets.length > 1, position: 'bottom' } },
      },
    });
    canvas.setAttribute('data-drawn', '1');
  }
  function start() {
    if (!window.Chart) return;
    var list = document.querySelectorAll('canvas[data-chart]');
    for (var i = 0; i < list.length; i++) draw(list[i]);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
