/* Organisation form: choosing a result of the national directory search fills the form (the server links the UAI anyway). */
(function () {
  "use strict";
  var results = document.getElementById("directory-results");
  if (!results) {
    return;
  }
  results.addEventListener("change", function (event) {
    var choice = event.target.dataset;
    [["id_uai", choice.uai], ["id_label", choice.label], ["id_city", choice.city], ["id_zip_code", choice.zip]].forEach(function (pair) {
      var input = document.getElementById(pair[0]);
      if (input && pair[1]) {
        input.value = pair[1];
      }
    });
  });
})();
