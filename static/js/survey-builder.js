// The question form shows only the fields that fit the chosen kind of question; without
// this script every field shows, each with a help text saying when it applies.
document.querySelectorAll(".question-form").forEach((form) => {
  const kind = form.querySelector("select[name=kind]");
  if (!kind) return;
  const update = () => {
    form.querySelectorAll("[data-for-kinds]").forEach((field) => {
      field.hidden = !field.dataset.forKinds.split(" ").includes(kind.value);
    });
  };
  kind.addEventListener("change", update);
  update();
});
