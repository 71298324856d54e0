-- Demo data for the embedded setup (not applied by the production profile): accounts, merchants
-- and FX rates for the four currencies the service supports.

INSERT INTO fx_rate (base_currency, quote_currency, rate) VALUES
    ('EUR', 'USD', 1.08500000),
    ('EUR', 'GBP', 0.84200000),
    ('EUR', 'CHF', 0.94700000),
    ('USD', 'EUR', 0.92165899),
    ('USD', 'GBP', 0.77603687),
    ('USD', 'CHF', 0.87281106),
    ('GBP', 'EUR', 1.18764846),
    ('GBP', 'USD', 1.28859857),
    ('GBP', 'CHF', 1.12470309),
    ('CHF', 'EUR', 1.05596621),
    ('CHF', 'USD', 1.14572334),
    ('CHF', 'GBP', 0.88912355);

-- ACC-1005's card is blocked; ACC-1011 and ACC-1029 hold little money (declines for insufficient
-- funds under load); the others hold enough for a long load run.
INSERT INTO account (id, holder, currency, balance, card_status) VALUES
    ('ACC-1001', 'Ada Lovelace', 'EUR', 2500.00, 'ACTIVE'),
    ('ACC-1002', 'Alan Turing', 'GBP', 310.75, 'ACTIVE'),
    ('ACC-1003', 'Grace Hopper', 'USD', 12000.00, 'ACTIVE'),
    ('ACC-1004', 'Katherine Johnson', 'USD', 845.10, 'ACTIVE'),
    ('ACC-1005', 'Edsger Dijkstra', 'EUR', 0.00, 'BLOCKED'),
    ('ACC-1006', 'Barbara Liskov', 'CHF', 913000.00, 'ACTIVE'),
    ('ACC-1007', 'Donald Knuth', 'USD', 558000.00, 'ACTIVE'),
    ('ACC-1008', 'Margaret Hamilton', 'EUR', 1058000.00, 'ACTIVE'),
    ('ACC-1009', 'John von Neumann', 'GBP', 1583000.00, 'ACTIVE'),
    ('ACC-1010', 'Frances Allen', 'CHF', 348000.00, 'ACTIVE'),
    ('ACC-1011', 'Tony Hoare', 'EUR', 29.50, 'ACTIVE'),
    ('ACC-1012', 'Radia Perlman', 'GBP', 1931000.00, 'ACTIVE'),
    ('ACC-1013', 'Niklaus Wirth', 'USD', 1347000.00, 'ACTIVE'),
    ('ACC-1014', 'Shafi Goldwasser', 'USD', 442000.00, 'ACTIVE'),
    ('ACC-1015', 'Ken Thompson', 'EUR', 998000.00, 'ACTIVE'),
    ('ACC-1016', 'Adele Goldberg', 'CHF', 1443000.00, 'ACTIVE'),
    ('ACC-1017', 'Dennis Ritchie', 'USD', 368000.00, 'ACTIVE'),
    ('ACC-1018', 'Leslie Lamport', 'EUR', 1289000.00, 'ACTIVE'),
    ('ACC-1019', 'Hedy Lamarr', 'GBP', 689000.00, 'ACTIVE'),
    ('ACC-1020', 'Claude Shannon', 'CHF', 326000.00, 'ACTIVE'),
    ('ACC-1021', 'Annie Easley', 'EUR', 426000.00, 'ACTIVE'),
    ('ACC-1022', 'Tim Berners-Lee', 'GBP', 1138000.00, 'ACTIVE'),
    ('ACC-1023', 'Sophie Wilson', 'USD', 1106000.00, 'ACTIVE'),
    ('ACC-1024', 'Linus Torvalds', 'USD', 393000.00, 'ACTIVE'),
    ('ACC-1025', 'Karen Sparck Jones', 'EUR', 742000.00, 'ACTIVE'),
    ('ACC-1026', 'Guido van Rossum', 'CHF', 435000.00, 'ACTIVE'),
    ('ACC-1027', 'Mary Kenneth Keller', 'USD', 1378000.00, 'ACTIVE'),
    ('ACC-1028', 'Bjarne Stroustrup', 'EUR', 1119000.00, 'ACTIVE'),
    ('ACC-1029', 'Jean Sammet', 'GBP', 27.50, 'ACTIVE'),
    ('ACC-1030', 'John McCarthy', 'CHF', 1943000.00, 'ACTIVE'),
    ('ACC-1031', 'Evelyn Boyd Granville', 'EUR', 1408000.00, 'ACTIVE'),
    ('ACC-1032', 'Whitfield Diffie', 'GBP', 503000.00, 'ACTIVE'),
    ('ACC-1033', 'Lynn Conway', 'USD', 707000.00, 'ACTIVE'),
    ('ACC-1034', 'Vint Cerf', 'USD', 1541000.00, 'ACTIVE'),
    ('ACC-1035', 'Carol Shaw', 'EUR', 1534000.00, 'ACTIVE'),
    ('ACC-1036', 'Robert Kahn', 'CHF', 1443000.00, 'ACTIVE'),
    ('ACC-1037', 'Dorothy Vaughan', 'USD', 376000.00, 'ACTIVE'),
    ('ACC-1038', 'Butler Lampson', 'EUR', 1431000.00, 'ACTIVE'),
    ('ACC-1039', 'Kathleen Booth', 'GBP', 1449000.00, 'ACTIVE'),
    ('ACC-1040', 'James Gosling', 'CHF', 1062000.00, 'ACTIVE');

-- MER-2004 takes small payments only (declines for the merchant limit under load).
INSERT INTO merchant (id, name, currency, max_payment_amount) VALUES
    ('MER-2001', 'Nordic Coffee Roasters', 'EUR', 250.00),
    ('MER-2002', 'Atlas Books', 'GBP', 500.00),
    ('MER-2003', 'Bluefin Airways', 'USD', 5000.00),
    ('MER-2004', 'Corner Kiosk', 'CHF', 25.00),
    ('MER-2005', 'Harbour Pharmacy', 'EUR', 400.00),
    ('MER-2006', 'Metro Transit', 'EUR', 100.00),
    ('MER-2007', 'Summit Outdoor Gear', 'USD', 2000.00),
    ('MER-2008', 'Lakeside Grocers', 'CHF', 600.00);
