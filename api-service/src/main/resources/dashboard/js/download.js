// Artifact downloads need the key in the Authorization header, which a plain link cannot carry:
// the file is fetched, then handed to the browser as a blob URL.
import { authHeaders, problem } from './api.js';

export async function downloadArtifact(path, name, button) {
  button.disabled = true;
  try {
    const response = await fetch(path, { headers: authHeaders() });
    if (!response.ok) throw await problem(response);
    const url = URL.createObjectURL(await response.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (e) {
    alert('Download failed: ' + e.message);
  } finally {
    button.disabled = false;
  }
}
