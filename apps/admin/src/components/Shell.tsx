// The signed-in pages' text joins the dictionary before any of them renders.
import '../i18n-areas';
import { App as AntApp } from 'antd';
import { AppLayout } from './Layout';

/**
 * The signed-in shell: antd's App (the message, modal and notification hooks the pages use)
 * around the layout. It loads after sign-in, so the login page goes without them.
 */
export default function Shell() {
  return (
    <AntApp>
      <AppLayout />
    </AntApp>
  );
}
