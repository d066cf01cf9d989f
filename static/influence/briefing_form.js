// Briefing form: show the month field or the two dates, depending on the period chosen.
(function () {
  "use strict";
  const form = document.querySelector(".briefing-form");
  if (!form) return;
  const group = (name) => {
    const input = form.querySelector(`[name="${name}"]`);
    return input ? input.closest(".mb-3") : null;
  };
  const month = group("month");
  const range = [group("period_start"), group("period_end")];
  const update = () => {
    const checked = form.querySelector('[name="period_kind"]:checked');
    const byMonth = !checked || checked.value === "month";
    if (month) month.hidden = !byMonth;
    range.forEach((el) => { if (el) el.hidden = byMonth; });
  };
  form.querySelectorAll('[name="period_kind"]').forEach((radio) => radio.addEventListener("change", update));
  update();
})();
