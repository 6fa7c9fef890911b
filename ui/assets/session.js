// A chat sign-in that has ended (expired, signed out in another tab, user removed) makes the
// chat's next request fail with 401; reload then, so the page asks for the password again
// instead of showing "Error" (docs/security.md, Sessions).
(() => {
  const ended = /\/gradio_api\/(queue\/join|call\/|run\/|upload)/;
  const fetched = window.fetch.bind(window);
  let reloading = false;
  window.fetch = async (input, init) => {
    const response = await fetched(input, init);
    const url = String(input instanceof Request ? input.url : input);
    if (response.status === 401 && ended.test(url) && !reloading) {
      reloading = true;
      window.location.reload();
    }
    return response;
  };
})();
