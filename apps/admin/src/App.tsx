import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Loading, NotFound, StatusPage } from '@spotcheck/ui/shell';
import { useI18n } from './i18n';
import { canOpen, type Area } from './lib/access';
import { SessionProvider, useMe, useSession } from './session';

// Past the login page everything loads on demand: the signed-in shell (layout, menu, antd's
// App with its message and modal hooks) and each page in its own chunk.
const Shell = lazy(() => import('./components/Shell'));
const LoginPage = lazy(() => import('./pages/Login'));
const WorkbenchPage = lazy(() => import('./pages/Workbench'));
const UnitsPage = lazy(() => import('./pages/rosters/Units'));
const UnitDetailPage = lazy(() => import('./pages/rosters/UnitDetail'));
const InspectorsPage = lazy(() => import('./pages/rosters/Inspectors'));
const ExpertsPage = lazy(() => import('./pages/rosters/Experts'));
const ConflictsPage = lazy(() => import('./pages/rosters/Conflicts'));
const PlansPage = lazy(() => import('./pages/plans/Plans'));
const PlanWizardPage = lazy(() => import('./pages/plans/PlanWizard'));
const PlanDetailPage = lazy(() => import('./pages/plans/PlanDetail'));
const TasksPage = lazy(() => import('./pages/tasks/Tasks'));
const NoticePage = lazy(() => import('./pages/tasks/Notice'));
const TaskDetailPage = lazy(() => import('./pages/tasks/TaskDetail'));
const ResultsPage = lazy(() => import('./pages/Results'));
const ChecklistPage = lazy(() => import('./pages/Checklist'));
const AuditPage = lazy(() => import('./pages/Audit'));
const AccountsPage = lazy(() => import('./pages/Accounts'));
const KeysPage = lazy(() => import('./pages/Keys'));
const AssessmentPage = lazy(() => import('./pages/Assessment'));
const RulePacksPage = lazy(() => import('./pages/rulePacks/RulePacks'));
const PublicationPage = lazy(() => import('./pages/Publication'));
const JobsPage = lazy(() => import('./pages/Jobs'));
const WitnessesPage = lazy(() => import('./pages/Witnesses'));
const CasesPage = lazy(() => import('./pages/consequences/Cases'));
const SupervisionsPage = lazy(() => import('./pages/consequences/Supervisions'));
const BlacklistPage = lazy(() => import('./pages/consequences/Blacklist'));
const ProceduresPage = lazy(() => import('./pages/Procedures'));
const ApiTokensPage = lazy(() => import('./pages/ApiTokens'));
const PlanNoticesPage = lazy(() => import('./pages/tasks/PlanNotices'));

/** Opens a page only for roles that can use its area; others see a 403. */
function Guard({ area, children }: { area: Area; children: ReactNode }) {
  const user = useSession();
  const { t } = useI18n();
  if (!canOpen(user.roles, area)) return <StatusPage status="403" message={t('common.forbidden')} />;
  return <>{children}</>;
}

/** The authenticated part: redirects to the login page without a session. */
function Authenticated() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <Loading />;
  if (!me.data) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return (
    <SessionProvider value={me.data}>
      <Shell />
    </SessionProvider>
  );
}

/** Routes, each page in its own chunk. */
export function App() {
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route element={<Authenticated />}>
          <Route
            index
            element={
              <Guard area="workbench">
                <WorkbenchPage />
              </Guard>
            }
          />
          <Route
            path="rosters/units"
            element={
              <Guard area="rosters">
                <UnitsPage />
              </Guard>
            }
          />
          <Route
            path="rosters/units/:id"
            element={
              <Guard area="rosters">
                <UnitDetailPage />
              </Guard>
            }
          />
          <Route
            path="rosters/inspectors"
            element={
              <Guard area="rosters">
                <InspectorsPage />
              </Guard>
            }
          />
          <Route
            path="rosters/experts"
            element={
              <Guard area="rosters">
                <ExpertsPage />
              </Guard>
            }
          />
          <Route
            path="rosters/conflicts"
            element={
              <Guard area="rosters">
                <ConflictsPage />
              </Guard>
            }
          />
          <Route
            path="plans"
            element={
              <Guard area="plans">
                <PlansPage />
              </Guard>
            }
          />
          <Route
            path="plans/new"
            element={
              <Guard area="plans">
                <PlanWizardPage />
              </Guard>
            }
          />
          <Route
            path="plans/:id"
            element={
              <Guard area="plans">
                <PlanDetailPage />
              </Guard>
            }
          />
          <Route
            path="plans/:id/notices"
            element={
              <Guard area="tasks">
                <PlanNoticesPage />
              </Guard>
            }
          />
          <Route
            path="procedures"
            element={
              <Guard area="procedures">
                <ProceduresPage />
              </Guard>
            }
          />
          <Route
            path="api-tokens"
            element={
              <Guard area="apiTokens">
                <ApiTokensPage />
              </Guard>
            }
          />
          <Route
            path="tasks"
            element={
              <Guard area="tasks">
                <TasksPage />
              </Guard>
            }
          />
          <Route
            path="tasks/:id"
            element={
              <Guard area="tasks">
                <TaskDetailPage />
              </Guard>
            }
          />
          <Route
            path="tasks/:id/notice"
            element={
              <Guard area="tasks">
                <NoticePage />
              </Guard>
            }
          />
          <Route
            path="results"
            element={
              <Guard area="results">
                <ResultsPage />
              </Guard>
            }
          />
          <Route
            path="checklist"
            element={
              <Guard area="checklist">
                <ChecklistPage />
              </Guard>
            }
          />
          <Route
            path="rule-packs"
            element={
              <Guard area="rulePacks">
                <RulePacksPage />
              </Guard>
            }
          />
          <Route
            path="publication"
            element={
              <Guard area="publication">
                <PublicationPage />
              </Guard>
            }
          />
          <Route
            path="jobs"
            element={
              <Guard area="jobs">
                <JobsPage />
              </Guard>
            }
          />
          <Route
            path="witnesses"
            element={
              <Guard area="witnesses">
                <WitnessesPage />
              </Guard>
            }
          />
          <Route
            path="cases"
            element={
              <Guard area="consequences">
                <CasesPage />
              </Guard>
            }
          />
          <Route
            path="supervisions"
            element={
              <Guard area="consequences">
                <SupervisionsPage />
              </Guard>
            }
          />
          <Route
            path="blacklist"
            element={
              <Guard area="consequences">
                <BlacklistPage />
              </Guard>
            }
          />
          <Route
            path="assessment"
            element={
              <Guard area="assessment">
                <AssessmentPage />
              </Guard>
            }
          />
          <Route
            path="audit"
            element={
              <Guard area="audit">
                <AuditPage />
              </Guard>
            }
          />
          <Route
            path="accounts"
            element={
              <Guard area="accounts">
                <AccountsPage />
              </Guard>
            }
          />
          <Route
            path="keys"
            element={
              <Guard area="keys">
                <KeysPage />
              </Guard>
            }
          />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
