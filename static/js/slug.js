// New project form: suggest the short address from the name until someone edits it.
(function () {
  "use strict";
  var name = document.getElementById("id_name");
  var slug = document.getElementById("id_slug");
  if (!name || !slug) { return; }
  var touched = slug.value !== "";
  slug.addEventListener("input", function () { touched = true; });
  name.addEventListener("input", function () {
    if (touched) { return; }
    slug.value = name.value
      .normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60);
  });
})();
