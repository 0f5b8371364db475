// Staff console behaviour. Loaded as a file (the CSP forbids inline scripts).
(function () {
  'use strict';
  function csrf() {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute('content') : '';
  }
  // htmx requests carry the session's CSRF token as a header (forms also carry it as a field).
  document.addEventListener('htmx:configRequest', function (e) {
    e.detail.headers['X-CSRF-Token'] = csrf();
  });
  // <button data-confirm="..."> asks before submitting its form.
  document.addEventListener('submit', function (e) {
    var b = e.submitter;
    var q = b && b.getAttribute('data-confirm');
    if (q && !window.confirm(q)) e.preventDefault();
  });
})();
