Return-Path: <tlsrpt-noreply@microsoft.com>
Received: from NAM04-BN8-obe.outbound.protection.outlook.com (mail-bn8nam12on20658.outbound.protection.outlook.com [40.107.122.240])
	by mx1.example.com (Postfix) with ESMTPS id 1909675051
	for <tlsrpt@example.com>; Fri, 27 Nov 2026 03:21:03 +0000
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=microsoft.com;
 s=selector2;
 h=From:Date:Subject:Message-ID:Content-Type:MIME-Version:X-MS-Exchange-SenderADCheck;
 bh=2clh4BAiVSFDDohYmLGKbKNsLcnwDGJbNmDPw/889Rc=;
 b=iBGGGf8uQF6pgDokb+ilMDF6iwkt9QMxWbbPigRAsvihUrbXaCh2BBJBpwOCS81GZyhfjFtROrm7A+dNSjw9uVT0PdeFqPvakqlrQ+s/QI8jTrkpb+XdTec+KG6mY2h1
From: <tlsrpt-noreply@microsoft.com>
To: "tlsrpt@example.com" <tlsrpt@example.com>
Date: Fri, 27 Nov 2026 03:21:03 +0000
Subject: Report Domain: example.com Submitter: microsoft.com Report-ID:
 134402688223904105+example.com
TLS-Report-Domain: example.com
TLS-Report-Submitter: microsoft.com
MIME-Version: 1.0
Message-ID: <134402688223904105+example.com@example.com>
Content-Type: multipart/report;
	boundary="_eb51dd57-210c-cd8e-0969-a412c6383225_"; report-type=tlsrpt
X-MS-PublicTrafficType: Email
X-MS-Exchange-SenderADCheck: 1
X-OriginatorOrg: microsoft.com

--_eb51dd57-210c-cd8e-0969-a412c6383225_
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

--_eb51dd57-210c-cd8e-0969-a412c6383225_
Content-Type: application/tlsrpt+gzip
Content-Description:
 microsoft.com!example.com!1795651200!1795737599!134402688223904105.json.gz
Content-Disposition: attachment;
	filename="microsoft.com!example.com!1795651200!1795737599!134402688223904105.json.gz"
Content-Transfer-Encoding: base64

H4sIAAAAAAAAA72SwY7bIBCGX8Xi2oAwdtzEp0o997R72mpVITzOIhmwYBw5jfLuHWOn7aZqj5WR
DMM3M//McGUhnrS33zXa4LnXDljLvlgTQwo9Fp9DHEPMl2zHOo3Ao/Yngq4soY7IFxva7KakanhZ
ctU8S9nm9UJe4Lu/UKpq90daL+y2YyZ41Aa59X0gDIcUR+Q+RBiHyyd3lyRMcBSUrIGy247Qsqpr
Cno4KFUdZV3K/QeYtRsH2OAxDNZYSKz9el0Pl6WAdcfxMi66EqY7euEJo/Un4tkZYqLq2+Lp+elc
EuFCB20BpDIaWM5zW7i5FO9Trlb1aNXzN30i90bWBynZ68+EXXDaepLxuwN1JU3O6ZjlYkA98DQZ
Ayn1E23pv0zNhMkja6tmtzG9tsMU4REoDxTwftcB0m5tSYQ0DXhvhIGItrdmGfZbSMidTU6jeaMC
Eg2TGsMdam5HgmspSvlRKCXqMo/FgD1nYs7O24ui4gaxnCFy03nhAd/ROZaSlaBwZSXUnq1Kofuj
CHXbPSqm0fGtj9af9UCv4h9SK3GU/0Vq86vbEXTKF11OMRc+YGF9sT3G2yt9PwDyzGM+jAMAAA==

--_eb51dd57-210c-cd8e-0969-a412c6383225_--
