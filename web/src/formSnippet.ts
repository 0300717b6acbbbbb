// The HTML a company puts on its web page to post leads to one form: a plain <form> (urlencoded, no
// script needed) with the honeypot field hidden from people. Pure, so the page and its test share it.
export function formSnippet(apiOrigin: string, formKey: string): string {
  return `<form method="post" action="${apiOrigin}/v1/forms/${formKey}/leads">
  <label>Name <input name="name" required maxlength="200" autocomplete="name"></label>
  <label>Email <input name="email" type="email" required maxlength="253" autocomplete="email"></label>
  <label>Company <input name="company" maxlength="200" autocomplete="organization"></label>
  <label>Country <input name="country" pattern="[A-Z]{2}" placeholder="DE"></label>
  <label>Message <textarea name="message" maxlength="5000"></textarea></label>
  <!-- Left empty by people, filled by bots: such a post is answered and dropped. -->
  <input name="website" tabindex="-1" autocomplete="off" aria-hidden="true" style="position:absolute;left:-10000px">
  <button type="submit">Send</button>
</form>`;
}
