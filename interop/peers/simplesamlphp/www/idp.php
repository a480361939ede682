<?php
// The interop lab's window into SimpleSAMLphp's IdP: what SimpleSAMLphp itself holds about this
// browser's IdP session, as JSON.
//   ?action=whoami   {signedIn, user, sps: {SP entity ID: {nameId, format}}}
require_once '/usr/share/simplesamlphp/lib/_autoload.php';

header('Content-Type: application/json');
header('Cache-Control: no-store');

$metadata = \SimpleSAML\Metadata\MetaDataStorageHandler::getMetadataHandler();
$idp = \SimpleSAML\IdP::getById('saml2:' . $metadata->getMetaDataCurrentEntityID('saml20-idp-hosted'));
$session = \SimpleSAML\Session::getSessionFromRequest();
$signedIn = $session->isValid('lab-users');
$out = ['signedIn' => $signedIn, 'sps' => new stdClass()];
if ($signedIn) {
    $attributes = $session->getAuthData('lab-users', 'Attributes');
    $out['user'] = $attributes['uid'][0] ?? null;
    $sps = [];
    foreach ($idp->getAssociations() as $association) {
        $nameId = $association['saml:NameID'] ?? null;
        $sps[$association['saml:entityID']] = [
            'nameId' => $nameId ? $nameId->getValue() : null,
            'format' => $nameId ? $nameId->getFormat() : null,
        ];
    }
    $out['sps'] = (object) $sps;
}
echo json_encode($out);
