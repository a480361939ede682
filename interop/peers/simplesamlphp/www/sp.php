<?php
// The interop lab's window into SimpleSAMLphp's SP: starts sign-in and logout for one
// authsource (?as=…) and reports, as JSON, what SimpleSAMLphp itself holds about the session.
//   ?action=login       requireAuth, then back here with action=whoami
//   ?action=whoami      {authenticated, nameId, sessionIndex, idp, attributes}
//   ?action=logout      single logout through the IdP, then action=logged-out
//   ?action=logged-out  {status: the LogoutResponse status SimpleSAMLphp recorded, authenticated}
require_once '/usr/share/simplesamlphp/lib/_autoload.php';

header('Content-Type: application/json');
header('Cache-Control: no-store');

$id = (string)($_GET['as'] ?? 'post');
$action = (string)($_GET['action'] ?? 'whoami');
$as = new \SimpleSAML\Auth\Simple($id);
$self = \SimpleSAML\Utils\HTTP::getSelfURLHost() . '/lab/sp.php?as=' . rawurlencode($id);

function nameIdOf($nameId): ?array
{
    if ($nameId === null) {
        return null;
    }
    return [
        'value' => $nameId->getValue(),
        'format' => $nameId->getFormat(),
        'nameQualifier' => $nameId->getNameQualifier(),
        'spNameQualifier' => $nameId->getSPNameQualifier(),
    ];
}

switch ($action) {
    case 'login':
        $as->requireAuth(['ReturnTo' => $self . '&action=whoami']);
        break;
    case 'logout':
        $as->logout([
            'ReturnTo' => $self . '&action=logged-out',
            'ReturnStateParam' => 'LogoutState',
            'ReturnStateStage' => 'lab-logout',
        ]);
        break;
    case 'logged-out':
        $state = \SimpleSAML\Auth\State::loadState((string)($_REQUEST['LogoutState'] ?? ''), 'lab-logout');
        echo json_encode([
            'authSource' => $id,
            'status' => $state['saml:sp:LogoutStatus'] ?? null,
            'authenticated' => $as->isAuthenticated(),
        ]);
        break;
    default:
        $out = ['authSource' => $id, 'authenticated' => $as->isAuthenticated()];
        if ($out['authenticated']) {
            $out['nameId'] = nameIdOf($as->getAuthData('saml:sp:NameID'));
            $out['sessionIndex'] = $as->getAuthData('saml:sp:SessionIndex');
            $out['idp'] = $as->getAuthData('saml:sp:IdP');
            $out['attributes'] = $as->getAttributes();
        }
        echo json_encode($out);
}
