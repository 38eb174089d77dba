// Reports page: the period picker. Choosing a preset shows its figures at
// once; typing a date makes the period custom (the form works without this).
(function () {
  var preset = document.getElementById('report-preset');
  if (!preset) return;
  var form = preset.form;
  preset.addEventListener('change', function () {
    if (preset.value !== 'custom') form.submit();
  });
  form.querySelectorAll('input[type="date"]').forEach(function (input) {
    input.addEventListener('change', function () { preset.value = 'custom'; });
  });
})();
