import { ui } from '../../../common/i18n/ui.fr';

/** The brand block at the top of the login and first-run cards. */
export function LoginBrand() {
  return (
    <div className="login-brand">
      <span className="brand-mark" aria-hidden="true" />
      <div>
        <div className="brand-name">{ui.app.name}</div>
        <div className="brand-tagline">{ui.app.tagline}</div>
      </div>
    </div>
  );
}
