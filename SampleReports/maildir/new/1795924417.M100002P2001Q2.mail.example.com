Return-Path: <tlsrpt-noreply@microsoft.com>
Received: from NAM04-BN8-obe.outbound.protection.outlook.com (mail-bn8nam05on20622.outbound.protection.outlook.com [40.107.124.209])
	by mx1.example.com (Postfix) with ESMTPS id DE72658858
	for <tlsrpt@example.com>; Sun, 29 Nov 2026 03:53:37 +0000
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=microsoft.com;
 s=selector2;
 h=From:Date:Subject:Message-ID:Content-Type:MIME-Version:X-MS-Exchange-SenderADCheck;
 bh=HWUTS7HjgNbyok6+JQZ1rM7c7UekrN5tPxlxBHBkLSU=;
 b=vX1E02k0gFBJY+vy5RqtvzJjIPoFEzG05OhQZvBoAOjVNeQ8had+hQIO7r62bbktuozs1wgmqC/pMNBgkBZsdKE82qc6/zlIQxwAdawN+bWIDAcNPxmaOwtm3aJV1z1Q
From: <tlsrpt-noreply@microsoft.com>
To: "tlsrpt@example.com" <tlsrpt@example.com>
Date: Sun, 29 Nov 2026 03:53:37 +0000
Subject: Report Domain: example.com Submitter: microsoft.com Report-ID:
 134404416205561707+example.com
TLS-Report-Domain: example.com
TLS-Report-Submitter: microsoft.com
MIME-Version: 1.0
Message-ID: <134404416205561707+example.com@example.com>
Content-Type: multipart/report;
	boundary="_09dfd5bf-a213-d52c-f2d3-ac6e04fb0ac1_"; report-type=tlsrpt
X-MS-PublicTrafficType: Email
X-MS-Exchange-SenderADCheck: 1
X-OriginatorOrg: microsoft.com

--_09dfd5bf-a213-d52c-f2d3-ac6e04fb0ac1_
Content-Type: text/html; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

<html>
<head>
<meta http-equiv=3D"Content-Type" content=3D"text/html; charset=3Dus-ascii"=
>
</head>
<body>
<div>This is an aggregate TLS report from microsoft.com</div>
</body>
</html>

--_09dfd5bf-a213-d52c-f2d3-ac6e04fb0ac1_
Content-Type: application/tlsrpt+gzip
Content-Description:
 microsoft.com!example.com!1795824000!1795910399!134404416205561707.json.gz
Content-Disposition: attachment;
	filename="microsoft.com!example.com!1795824000!1795910399!134404416205561707.json.gz"
Content-Transfer-Encoding: base64

H4sIAAAAAAAAA72STY/bIBCG/4rFtQGB7SQbnyr13NPuaatVhWCcoBqwYBw5jfLfO7bjtpuqPVZG
MgzPDO98XFlMRx3cd40uBh60B9awz86kmGOLxaeY+pjmS7ZhViPwpMORoCvLqBPyyYZuditlueNK
8fLpRcpmXq/kBcH+hSqrZnug9cpuG2ZiQG2Qu9BGwrDLqUceYoK+u3z0qyRhoqegZI30urOEqqqu
ZV2rXSm3253ay/0HGLXvO7jDfeyccZBZ8+W6HC5TAsuO46WfdGXMK3rhGZMLR+LZGVKm7Jvi+eX5
rIjw0UJTAKlMBqbz2BR+VOL9k4u1fLTq8as+kvtO1k9SsrefD9rotQsk43cHqkoevNdplosRdcfz
YAzk3A60pf/UNROHgKypDps702rXDQkeAVVRwPXOAtJuKUmCPHS4FsJAQtc6MzX7FDNy77LXaE6U
QKZmUmG4R81dT3AthZJ7UZaiVnNbDLjzTIyz832iKLlOTGdI3NggAuA7eo5VykpQOFWJcssWpWD/
SELeNo+Kz7pzdpnge3r/klqJg/wvUqtf1U6g83xhYZntpjjpYPNJf4Ni1Xx7o+8HrekVRZIDAAA=

--_09dfd5bf-a213-d52c-f2d3-ac6e04fb0ac1_--
