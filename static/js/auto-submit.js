/* Pages that hand over to another server (SAML HTTP-POST binding): post their form at once; its button stays for those without scripts. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-auto-submit]").forEach(function (form) {
    form.submit();
  });
})();
