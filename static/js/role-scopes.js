/* Invitation form: show only the scope fields the chosen role takes (every field stays usable without a script). */
(function () {
  "use strict";
  var data = document.getElementById("role-scopes");
  var role = document.getElementById("id_role");
  if (!data || !role) {
    return;
  }
  var scopes = JSON.parse(data.textContent);
  function update() {
    var wanted = scopes[role.value];
    document.querySelectorAll("[data-scope]").forEach(function (block) {
      block.hidden = wanted !== undefined && wanted.indexOf(block.dataset.scope) === -1;
      // a hidden choice is not sent, so that it cannot contradict the chosen role
      block.querySelector("select").disabled = block.hidden;
    });
  }
  role.addEventListener("change", update);
  update();
})();
