// Response rules for ops (sales managers read them): which team and owner a new lead goes to, and
// the auto-response it gets.
import { ResponseRulesEditor } from '../components/ResponseRulesEditor';

export function ResponseRulesPage({ canEdit }: { canEdit: boolean }) {
  return (
    <div className="page">
      <div className="page-head">
        <h1>Response rules</h1>
      </div>
      <ResponseRulesEditor canEdit={canEdit} />
    </div>
  );
}
