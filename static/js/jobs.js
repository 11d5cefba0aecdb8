// The progress page of a background job (web/templates/jobs/show.html): asks the job's JSON
// every two seconds and reloads the page when it is done or failed, so the page (and its
// download link or message) comes from the server. Without JavaScript, "Check again" does it.
const status = document.getElementById("job-status");
if (status && !["done", "failed"].includes(status.dataset.jobState)) {
  const url = status.dataset.jobUrl;
  let waited = 0;
  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" },
                                          credentials: "same-origin" });
      if (response.ok) {
        const job = await response.json();
        if (job.state === "done" || job.state === "failed") {
          window.location.reload();
          return;
        }
      }
    } catch (error) {
      // The network dropped: keep trying, the link still works.
    }
    waited += 1;
    setTimeout(poll, waited < 30 ? 2000 : 10000);
  };
  setTimeout(poll, 1000);
}
