// The API key lives in sessionStorage: it survives a reload but not the tab, is never sent by the
// browser on its own (no cookie, so no CSRF), and goes out only as the Authorization header.
const KEY = 'trainyard.apiKey';

export const session = {
  key: () => sessionStorage.getItem(KEY),
  set: (key) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
};
